package dev.realtime;

/**
 * Told when a channel gains its first subscriber on this hub or loses its last one: what
 * a cluster broadcaster needs to subscribe to exactly the channels local clients hold.
 * <p>
 * Called while the hub holds the channel's lock, so the calls for one channel arrive in
 * the order the channel changed (an {@code occupied} never overtakes the {@code vacated}
 * before it). Implementations must therefore be quick, must not block and must not call
 * back into the hub: record the change and act on it elsewhere. Exceptions are caught and
 * ignored.
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

}
