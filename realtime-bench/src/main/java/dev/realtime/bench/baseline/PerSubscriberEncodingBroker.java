package dev.realtime.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Fan-out the way Spring's {@code SimpleBrokerMessageHandler} does it for STOMP: for each
 * subscriber a new message is built (its headers carry that subscriber's subscription id),
 * encoded to bytes and sent synchronously on the publishing thread.
 */
public final class PerSubscriberEncodingBroker {

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
	 * Encode and send an event to every subscriber of a channel.
	 * @param channel the channel
	 * @param event the event name
	 * @param data the payload, already JSON-escaped
	 * @return how many subscribers it was sent to
	 */
	public int publish(String channel, String event, String data) {
		Set<Subscriber> subscribers = this.channels.get(channel);
		if (subscribers == null) {
			return 0;
		}
		int sent = 0;
		for (Subscriber subscriber : subscribers) {
			String message = "{\"event\":\"" + event + "\",\"channel\":\"" + channel + "\",\"subscription\":\""
					+ subscriber.subscriptionId() + "\",\"data\":\"" + data + "\"}";
			subscriber.send(message.getBytes(StandardCharsets.UTF_8));
			sent++;
		}
		return sent;
	}

	/**
	 * A subscriber that counts what it is sent.
	 */
	public static final class Subscriber {

		private final String subscriptionId;

		private long messages;

		/** Kept so the encoding cannot be optimized away. */
		private byte @Nullable [] last;

		/**
		 * Create a subscriber.
		 * @param subscriptionId its subscription id
		 */
		public Subscriber(String subscriptionId) {
			this.subscriptionId = subscriptionId;
		}

		String subscriptionId() {
			return this.subscriptionId;
		}

		void send(byte[] message) {
			this.last = message;
			this.messages++;
		}

		/**
		 * Messages sent to this subscriber.
		 * @return the count
		 */
		public long messages() {
			return this.messages;
		}

	}

}
