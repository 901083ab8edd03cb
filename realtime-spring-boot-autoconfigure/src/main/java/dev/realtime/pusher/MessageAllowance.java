package dev.realtime.pusher;

/**
 * How many messages of any kind one connection may send: a token bucket of
 * {@link ConnectionLimits#messageBurst()} refilled at {@link ConnectionLimits#messageRate()}
 * per second. A refused message is dropped; the client is told once per second (telling it
 * about every one would let a flood double itself on the way back), and a connection
 * that keeps sending more than the rate's worth of refused messages in a second is
 * closed.
 */
final class MessageAllowance {

	private static final long WINDOW_NANOS = 1_000_000_000L;

	/** What to do with a message. */
	enum Verdict {

		/** Handle it. */
		ALLOWED,

		/** Drop it and tell the client with a {@code pusher:error} 4301. */
		REFUSED,

		/** Drop it; the client was told within the last second. */
		REFUSED_QUIETLY,

		/** Drop it and close the connection with 4301: the flood goes on. Returned once. */
		FLOOD

	}

	private final RateLimiter bucket;

	private final int rate;

	private long windowStart;

	private int refusedInWindow;

	/** Whether {@link Verdict#FLOOD} was returned: the connection is closing. */
	private boolean flooded;

	MessageAllowance(ConnectionLimits limits, long nowNanos) {
		this.bucket = new RateLimiter(limits.messageRate(), limits.messageBurst(), nowNanos);
		this.rate = limits.messageRate();
	}

	synchronized Verdict take(long nowNanos) {
		if (this.bucket.tryAcquire(nowNanos)) {
			return Verdict.ALLOWED;
		}
		if (!this.flooded && (this.refusedInWindow == 0 || nowNanos - this.windowStart > WINDOW_NANOS)) {
			this.windowStart = nowNanos;
			this.refusedInWindow = 1;
			return Verdict.REFUSED;
		}
		this.refusedInWindow++;
		if (this.refusedInWindow > this.rate && !this.flooded) {
			this.flooded = true;
			return Verdict.FLOOD;
		}
		return Verdict.REFUSED_QUIETLY;
	}

}
