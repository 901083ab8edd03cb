package dev.realtime.http;

import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of webhook delivery: {@code realtime.webhooks.delivered},
 * {@code .retried}, {@code .failed} and {@code .dropped} (counters of requests, retries,
 * requests given up and events dropped at a full queue), {@code .presence.dropped} (the
 * member events among those), {@code realtime.webhooks.queued} (events waiting); with the
 * dispatcher,
 * {@code realtime.webhooks.dispatch.dropped} and {@code .dispatch.presence.dropped}
 * (changes the dispatcher's full inboxes refused).
 */
public final class WebhookMetrics implements MeterBinder {

	private final HttpWebhookSender sender;

	private final @Nullable WebhookDispatcher dispatcher;

	/**
	 * Meters for a sender and its dispatcher.
	 * @param sender the sender
	 * @param dispatcher the dispatcher, or {@code null} without one
	 */
	public WebhookMetrics(HttpWebhookSender sender, @Nullable WebhookDispatcher dispatcher) {
		this.sender = Objects.requireNonNull(sender, "sender");
		this.dispatcher = dispatcher;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		bindSender(this.sender, registry);
		if (this.dispatcher != null) {
			bindDispatcher(this.dispatcher, registry);
		}
	}

	private static void bindSender(HttpWebhookSender sender, MeterRegistry registry) {
		FunctionCounter.builder("realtime.webhooks.delivered", sender, HttpWebhookSender::delivered)
			.description("Webhook requests answered with 2xx")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.retried", sender, HttpWebhookSender::retried)
			.description("Webhook requests tried again after a failure")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.failed", sender, HttpWebhookSender::failed)
			.description("Webhook requests given up after the last attempt")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.dropped", sender, HttpWebhookSender::dropped)
			.description("Webhook events dropped because their queue was full")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.presence.dropped", sender, HttpWebhookSender::presenceDropped)
			.description("Member webhook events dropped because their queue was full")
			.register(registry);
		Gauge.builder("realtime.webhooks.queued", sender, HttpWebhookSender::queued)
			.description("Webhook events waiting to be sent")
			.register(registry);
	}

	private static void bindDispatcher(WebhookDispatcher dispatcher, MeterRegistry registry) {
		FunctionCounter.builder("realtime.webhooks.dispatch.dropped", dispatcher, WebhookDispatcher::dropped)
			.description("Channel changes not reported because the webhook dispatcher's inbox was full")
			.register(registry);
		FunctionCounter
			.builder("realtime.webhooks.dispatch.presence.dropped", dispatcher, WebhookDispatcher::presenceDropped)
			.description("Member changes not reported because the webhook dispatcher's presence inbox was full")
			.register(registry);
	}

}
