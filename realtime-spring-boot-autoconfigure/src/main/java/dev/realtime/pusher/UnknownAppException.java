package dev.realtime.pusher;

import org.jspecify.annotations.Nullable;

/**
 * The key in the URL names no app (4001, the client does not reconnect).
 */
public class UnknownAppException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 * @param key the key the client used, or {@code null} if the URL had none
	 */
	public UnknownAppException(@Nullable String key) {
		super(CloseCodes.UNKNOWN_APP, "Application does not exist" + ((key != null) ? ": " + abbreviate(key) : ""));
	}

	private static String abbreviate(String key) {
		return (key.length() <= 64) ? key : key.substring(0, 64) + "...";
	}

}
