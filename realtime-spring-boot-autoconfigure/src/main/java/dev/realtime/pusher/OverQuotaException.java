package dev.realtime.pusher;

/**
 * The app has as many connections as its quota allows (4004): pusher-js does not
 * reconnect, as with Pusher's own connection quota.
 */
public class OverQuotaException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 */
	public OverQuotaException() {
		super(CloseCodes.OVER_QUOTA, "Application is over connection quota");
	}

}
