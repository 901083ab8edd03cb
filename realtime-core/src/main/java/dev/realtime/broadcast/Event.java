package dev.realtime.broadcast;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Something published on a channel.
 *
 * @param channel the channel
 * @param name the event name
 * @param payload the payload as text (for Pusher, the {@code data} string)
 * @param exceptSocketId a connection that must not receive it (the sender of a client
 * event, or the {@code socket_id} of an HTTP publish), or {@code null}
 * @param userId the user who sent it, for client events on presence channels (Pusher
 * adds it to the message as {@code user_id}), or {@code null}
 */
public record Event(String channel, String name, String payload, @Nullable String exceptSocketId,
		@Nullable String userId) {

	public Event {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(payload, "payload");
	}

	/**
	 * An event for every subscriber but one connection.
	 * @param channel the channel
	 * @param name the event name
	 * @param payload the payload
	 * @param exceptSocketId the connection to skip, or {@code null}
	 */
	public Event(String channel, String name, String payload, @Nullable String exceptSocketId) {
		this(channel, name, payload, exceptSocketId, null);
	}

	/**
	 * An event for every subscriber.
	 * @param channel the channel
	 * @param name the event name
	 * @param payload the payload
	 */
	public Event(String channel, String name, String payload) {
		this(channel, name, payload, null, null);
	}

}
