package dev.realtime.pusher;

/**
 * A message that is not a Pusher message: not JSON, no event name, too large, a binary
 * message, or missing a field. The message is ignored and the connection kept.
 */
public class InvalidMessageException extends PusherException.NonFatal {

	/**
	 * Create an exception.
	 * @param message what is wrong
	 */
	public InvalidMessageException(String message) {
		super(message);
	}

}
