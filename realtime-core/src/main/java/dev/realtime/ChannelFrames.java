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
	 * <p>
	 * For presence channels the hub takes the roster under the channel's lock but calls
	 * this later, on the subscriber's writer thread, when the confirmation's turn in its
	 * outbox comes: encoding a large roster then holds up no other join. It may therefore
	 * run on several writer threads at once and must be thread-safe.
	 * @param channel the channel
	 * @param roster for presence channels the members, the subscriber included, as they
	 * were when the subscription took effect (immutable); {@code null} for other channels
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
