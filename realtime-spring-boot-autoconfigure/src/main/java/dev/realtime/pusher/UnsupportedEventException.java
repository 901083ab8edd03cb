package dev.realtime.pusher;

/**
 * A message whose event the server does not handle: neither a {@code pusher:} event it
 * knows nor a {@code client-} event.
 */
public class UnsupportedEventException extends PusherException.NonFatal {

	/**
	 * Create an exception.
	 * @param event the event name
	 */
	public UnsupportedEventException(String event) {
		super("Unsupported event: " + ((event.length() <= 64) ? event : event.substring(0, 64) + "..."));
	}

}
