package dev.realtime.broadcast;

/**
 * A handler's interest in a broadcaster's events.
 */
public interface Subscription {

	/**
	 * Stop receiving events. Idempotent; events already buffered may still arrive.
	 */
	void cancel();

	/**
	 * Events this subscription could not take because its buffer was full.
	 * @return the count
	 */
	long dropped();

}
