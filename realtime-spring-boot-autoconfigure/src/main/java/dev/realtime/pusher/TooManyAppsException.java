package dev.realtime.pusher;

/**
 * The node serves as many apps as {@code realtime.app-hubs.max-apps} allows and the
 * connection is for another one (4100, the client reconnects after a delay, perhaps to a
 * node with room).
 */
public class TooManyAppsException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 */
	public TooManyAppsException() {
		super(CloseCodes.OVER_CAPACITY, "Over capacity: this node serves as many apps as it may");
	}

}
