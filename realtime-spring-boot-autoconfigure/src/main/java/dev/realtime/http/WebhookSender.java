package dev.realtime.http;

/**
 * Delivers webhook events to the application's receivers. Implementations never block
 * the caller: they queue, send asynchronously and drop (counting) what cannot be queued.
 */
@FunctionalInterface
public interface WebhookSender {

	/**
	 * Queue an event for delivery to every receiver.
	 * @param event the event
	 */
	void send(WebhookEvent event);

}
