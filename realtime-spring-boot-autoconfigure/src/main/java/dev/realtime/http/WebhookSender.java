package dev.realtime.http;

/**
 * Delivers webhook events to the application's receivers. Implementations never block
 * the caller: they queue, send asynchronously and drop (counting) what cannot be queued.
 */
@FunctionalInterface
public interface WebhookSender {

	/**
	 * Queue an event for delivery to every receiver that asked for it.
	 * @param event the event
	 */
	void send(WebhookEvent event);

	/**
	 * Whether any receiver is sent events of a type on a channel, so that the dispatcher
	 * neither claims nor queues what no receiver asked for.
	 * @param type the event type
	 * @param channel the channel
	 * @return {@code true} unless no receiver is sent such events
	 */
	default boolean wants(WebhookEventType type, String channel) {
		return true;
	}

}
