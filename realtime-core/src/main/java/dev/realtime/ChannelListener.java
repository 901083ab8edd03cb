package dev.realtime;

import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Told when a channel gains its first subscriber on this hub or loses its last one: what
 * a cluster broadcaster needs to subscribe to exactly the channels local clients hold.
 * <p>
 * Called while the hub holds the channel's lock, so the calls for one channel arrive in
 * the order the channel changed (an {@code occupied} never overtakes the {@code vacated}
 * before it). Implementations must therefore be quick, must not block and must not call
 * back into the hub: record the change and act on it elsewhere. Exceptions are caught and
 * ignored.
 * <p>
 * A cluster broadcaster also answers {@link #whenLive}: the hub holds a new subscriber's
 * confirmation until events published on any node reach this one.
 */
public interface ChannelListener {

	/**
	 * The channel got its first subscriber on this hub.
	 * @param channel the channel
	 */
	void occupied(String channel);

	/**
	 * The channel lost its last subscriber on this hub.
	 * @param channel the channel
	 */
	void vacated(String channel);

	/**
	 * A connection has just joined the channel (first or not): when may its confirmation
	 * (and whatever is queued for it after that) be sent? Until this node receives the
	 * channel's events from every node, an event published elsewhere right after the
	 * confirmation would miss the connection. Called after {@link #occupied}, outside the
	 * hub's locks, on the subscribing thread; must not block. The hub holds only that
	 * connection's writer meanwhile, no thread.
	 * @param channel the channel
	 * @return a stage that completes (normally or not) when the confirmation may go out,
	 * and always completes, soon; or {@code null} for at once (the default)
	 */
	default @Nullable CompletionStage<?> whenLive(String channel) {
		return null;
	}

}
