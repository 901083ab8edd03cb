package dev.realtime.bench.baseline;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The textbook fan-out: a {@code ConcurrentHashMap.newKeySet()} of subscribers per channel
 * and an unbounded {@link ConcurrentLinkedQueue} outbox per subscriber, drained by whoever
 * wins a flag, here on the publishing thread. The message is encoded once and shared,
 * like the hub's frame, so the difference is the data structures.
 */
public final class ConcurrentQueueBroker {

	private final Map<String, Set<Subscriber>> channels = new ConcurrentHashMap<>();

	/**
	 * Subscribe to a channel.
	 * @param channel the channel
	 * @param subscriber the subscriber
	 */
	public void subscribe(String channel, Subscriber subscriber) {
		this.channels.computeIfAbsent(channel, (name) -> ConcurrentHashMap.newKeySet()).add(subscriber);
	}

	/**
	 * Queue a message for every subscriber of a channel and drain each outbox.
	 * @param channel the channel
	 * @param message the encoded message, shared by all subscribers
	 * @return how many subscribers it was queued for
	 */
	public int publish(String channel, byte[] message) {
		Set<Subscriber> subscribers = this.channels.get(channel);
		if (subscribers == null) {
			return 0;
		}
		int queued = 0;
		for (Subscriber subscriber : subscribers) {
			subscriber.deliver(message);
			queued++;
		}
		return queued;
	}

	/**
	 * A subscriber with its own outbox, counting what is written.
	 */
	public static final class Subscriber {

		private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean draining = new AtomicBoolean();

		private long messages;

		void deliver(byte[] message) {
			this.outbox.offer(message);
			if (this.draining.compareAndSet(false, true)) {
				try {
					while (this.outbox.poll() != null) {
						this.messages++;
					}
				}
				finally {
					this.draining.set(false);
				}
			}
		}

		/**
		 * Messages written for this subscriber.
		 * @return the count
		 */
		public long messages() {
			return this.messages;
		}

	}

}
