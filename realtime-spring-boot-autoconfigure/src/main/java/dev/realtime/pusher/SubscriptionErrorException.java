package dev.realtime.pusher;

import dev.realtime.Frame;

/**
 * A subscription was refused; the client is told with {@code pusher:subscription_error}
 * on the channel (which pusher-js reports on that channel), and stays connected.
 */
public class SubscriptionErrorException extends PusherException.NonFatal {

	/** A signature that does not match, or a missing one. */
	public static final String AUTH_ERROR = "AuthError";

	/** A channel name or channel data that breaks the rules. */
	public static final String INVALID_CHANNEL = "InvalidChannel";

	/** A presence channel with as many members as allowed. */
	public static final String LIMIT_REACHED = "LimitReached";

	private final String channel;

	private final String type;

	private final int status;

	/**
	 * Create an exception.
	 * @param channel the channel
	 * @param type the error type ({@link #AUTH_ERROR}, ...)
	 * @param status an HTTP-like status
	 * @param message what went wrong
	 */
	public SubscriptionErrorException(String channel, String type, int status, String message) {
		super(message);
		this.channel = channel;
		this.type = type;
		this.status = status;
	}

	@Override
	public Frame toFrame() {
		return PusherFrames.subscriptionError(this.channel, this.type, getMessage(), this.status);
	}

}
