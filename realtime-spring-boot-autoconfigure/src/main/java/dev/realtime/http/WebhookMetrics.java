package dev.realtime.http;

import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of webhook delivery: {@code realtime.webhooks.delivered},
 * {@code .retried}, {@code .failed} and {@code .dropped} (counters of requests, retries,
 * requests given up and events dropped at a full queue) and {@code realtime.webhooks.queued}
 * (events waiting).
 */
public final class WebhookMetrics implements MeterBinder {

	private final HttpWebhookSender sender;

	/**
	 * Meters for a sender.
	 * @param sender the sender
	 */
	public WebhookMetrics(HttpWebhookSender sender) {
		this.sender = Objects.requireNonNull(sender, "sender");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("realtime.webhooks.delivered", this.sender, HttpWebhookSender::delivered)
			.description("Webhook requests answered with 2xx")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.retried", this.sender, HttpWebhookSender::retried)
			.description("Webhook requests tried again after a failure")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.failed", this.sender, HttpWebhookSender::failed)
			.description("Webhook requests given up after the last attempt")
			.register(registry);
		FunctionCounter.builder("realtime.webhooks.dropped", this.sender, HttpWebhookSender::dropped)
			.description("Webhook events dropped because the queue was full")
			.register(registry);
		Gauge.builder("realtime.webhooks.queued", this.sender, HttpWebhookSender::queued)
			.description("Webhook events waiting to be sent")
			.register(registry);
	}

}
