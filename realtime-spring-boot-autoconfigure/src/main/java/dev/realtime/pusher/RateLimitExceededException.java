package dev.realtime.pusher;

/**
 * The connection sent more client events per second than allowed (code 4301, as Pusher
 * reports it). The event is dropped; the connection stays open, since closing with a 43xx
 * code would stop pusher-js from ever reconnecting.
 */
public class RateLimitExceededException extends PusherException {

	/**
	 * Create an exception.
	 * @param perSecond the limit
	 */
	public RateLimitExceededException(int perSecond) {
		super("Client event rejected due to rate limit (" + perSecond + " per second)");
	}

	@Override
	public Integer code() {
		return CloseCodes.CLIENT_EVENT_RATE_LIMIT;
	}

}
