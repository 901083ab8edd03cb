package dev.realtime.pusher;

/**
 * A client event that may not be sent: client events disabled, a channel that is not
 * private or presence, or a channel the connection has not joined. It is not relayed.
 */
public class ClientEventRejectedException extends PusherException.NonFatal {

	/**
	 * Create an exception.
	 * @param message why
	 */
	public ClientEventRejectedException(String message) {
		super(message);
	}

}
