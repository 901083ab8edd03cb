package dev.realtime;

/**
 * A member joined or left a presence channel: the first connection of the user joined, or
 * the last one left.
 *
 * @param channel the presence channel
 * @param joined {@code true} when the member was added, {@code false} when removed
 * @param member the member
 */
public record PresenceEvent(String channel, boolean joined, Member member) {
}
