package dev.realtime.pusher;

/**
 * A {@code pusher:signin} with a bad signature or bad user data. The connection stays
 * open, not signed in.
 */
public class SigninFailedException extends PusherException.NonFatal {

	/**
	 * Create an exception.
	 * @param message why
	 */
	public SigninFailedException(String message) {
		super(message);
	}

}
