package dev.realtime.pusher;

/**
 * A token bucket refilled at a fixed rate per second up to a capacity, for one
 * connection's messages or client events. Thread-safe (a connection's messages may arrive
 * on different threads one after another).
 */
final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int perSecond;

	private final int capacity;

	private double tokens;

	private long refilledNanos;

	/** A bucket holding one second's worth. */
	RateLimiter(int perSecond, long nowNanos) {
		this(perSecond, perSecond, nowNanos);
	}

	RateLimiter(int perSecond, int capacity, long nowNanos) {
		this.perSecond = perSecond;
		this.capacity = capacity;
		this.tokens = capacity;
		this.refilledNanos = nowNanos;
	}

	/**
	 * Take one token if there is one.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return {@code true} if allowed
	 */
	synchronized boolean tryAcquire(long nowNanos) {
		long elapsed = nowNanos - this.refilledNanos;
		if (elapsed > 0) {
			this.tokens = Math.min(this.capacity, this.tokens + (double) elapsed * this.perSecond / NANOS_PER_SECOND);
			this.refilledNanos = nowNanos;
		}
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}

}
