package dev.realtime.pusher;

/**
 * The key in the URL names a disabled app (4003, the client does not reconnect).
 */
public class AppDisabledException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 */
	public AppDisabledException() {
		super(CloseCodes.APP_DISABLED, "Application is disabled");
	}

}
