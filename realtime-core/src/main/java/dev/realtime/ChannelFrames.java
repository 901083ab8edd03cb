package dev.realtime;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

/**
 * The frames the hub itself sends about channels, encoded by the protocol layer.
 * <p>
 * The hub queues the confirmation on the subscriber's outbox <em>before</em> the
 * subscriber becomes visible to broadcasts, and presence changes while it holds the
 * channel's own lock, so every subscriber sees its confirmation first and a roster that
 * agrees with the member events that follow it. Methods return {@code null} to send
 * nothing.
 */
public interface ChannelFrames {

	/** Sends nothing: for hubs whose transport confirms subscriptions itself. */
	ChannelFrames NONE = new ChannelFrames() {
	};

	/**
	 * The confirmation to a new (or repeated) subscription.
	 * @param channel the channel
	 * @param roster for presence channels the members, the subscriber included;
	 * {@code null} for other channels
	 * @return the frame, or {@code null} for none
	 */
	default @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
		return null;
	}

	/**
	 * Told to the other subscribers when a user's first connection joins.
	 * @param channel the presence channel
	 * @param member who joined
	 * @return the frame, or {@code null} for none
	 */
	default @Nullable Frame memberAdded(String channel, Member member) {
		return null;
	}

	/**
	 * Told to the remaining subscribers when a user's last connection leaves.
	 * @param channel the presence channel
	 * @param member who left
	 * @return the frame, or {@code null} for none
	 */
	default @Nullable Frame memberRemoved(String channel, Member member) {
		return null;
	}

}
