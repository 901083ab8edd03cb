package dev.realtime.broadcast;

import java.util.concurrent.atomic.AtomicBoolean;

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

	/**
	 * A subscription that cancels the given one and then runs {@code afterCancel}, once
	 * however often it is cancelled: how a cluster broadcaster gives back its share of a
	 * channel's engine subscription when a local subscriber leaves.
	 * @param subscription the local subscription
	 * @param afterCancel run once, after the first cancel
	 * @return the subscription to hand out
	 */
	static Subscription thenOnCancel(Subscription subscription, Runnable afterCancel) {
		AtomicBoolean cancelled = new AtomicBoolean();
		return new Subscription() {

			@Override
			public void cancel() {
				if (cancelled.compareAndSet(false, true)) {
					subscription.cancel();
					afterCancel.run();
				}
			}

			@Override
			public long dropped() {
				return subscription.dropped();
			}

		};
	}

}
