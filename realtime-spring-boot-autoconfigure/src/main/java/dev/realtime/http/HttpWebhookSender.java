package dev.realtime.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.internal.DaemonThreads;
import dev.realtime.pusher.PusherSignatures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends webhooks over HTTP as Pusher does: {@code POST} of
 * {@code {"time_ms": .., "events": [..]}} with {@code Content-Type: application/json},
 * {@code X-Pusher-Key} and {@code X-Pusher-Signature} (hex HMAC-SHA256 of the body with the
 * app's secret), so existing Pusher webhook handlers verify them unchanged.
 * <p>
 * {@link #send} only offers the event to a bounded queue (a full queue drops and counts
 * it). Member events ({@code member_added}, {@code member_removed}) have a queue of their
 * own, taken first, so a flood of channel events (anyone can churn channels) cannot
 * crowd them out. One thread takes queued events in batches and, for each receiver, keeps
 * those of the batch it is sent (its event types, its channel filter) and starts an
 * asynchronous request with them, signed over that receiver's own body and carrying its
 * extra headers; a receiver with nothing left in a batch gets no request. An event no
 * receiver is sent is not queued. A request that fails (no 2xx answer, or none in time) is retried
 * with exponential backoff, up to the attempt limit, then counted as failed. A bounded
 * number of requests is in flight, so a slow or dead receiver fills the queues instead of
 * using up threads or memory, and never slows the hub. {@link #close()} delivers what is
 * queued first, within the shutdown timeout.
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {

	private static final Log logger = LogFactory.getLog(HttpWebhookSender.class);

	private final List<WebhookEndpoint> endpoints;

	private final WebhookSettings settings;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final HttpClient httpClient;

	private final BlockingQueue<WebhookEvent> queue;

	private final BlockingQueue<WebhookEvent> presenceQueue;

	/** Released once per queued event, and to close. */
	private final Semaphore ready = new Semaphore(0);

	private final Semaphore inFlight;

	private final ExecutorService worker;

	private final ScheduledExecutorService retries;

	/** Set by {@link #close()}: nothing more is queued, the worker stops once the queues are empty. */
	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder retried = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder presenceDropped = new LongAdder();

	/**
	 * Create a sender and start its thread.
	 * @param endpoints the receivers
	 * @param settings queue, retry and request limits
	 * @param jsonMapper writes the bodies
	 * @param clock stamps {@code time_ms}
	 */
	public HttpWebhookSender(List<WebhookEndpoint> endpoints, WebhookSettings settings, JsonMapper jsonMapper,
			Clock clock) {
		this.endpoints = List.copyOf(endpoints);
		this.settings = settings;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
		this.presenceQueue = new ArrayBlockingQueue<>(settings.presenceQueueCapacity());
		this.inFlight = new Semaphore(settings.maxConcurrentRequests());
		this.worker = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-webhooks"));
		this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-webhook-retries"));
		this.httpClient = HttpClient.newBuilder()
			.connectTimeout(settings.timeout())
			.executor(this.retries)
			.build();
		this.worker.execute(this::run);
	}

	@Override
	public void send(WebhookEvent event) {
		boolean presence = event.type().isPresence();
		BlockingQueue<WebhookEvent> lane = presence ? this.presenceQueue : this.queue;
		if (this.closed.get() || this.endpoints.isEmpty()) {
			(presence ? this.presenceDropped : this.dropped).increment();
			return;
		}
		if (!wants(event.type(), event.channel())) {
			return;
		}
		if (!lane.offer(event)) {
			(presence ? this.presenceDropped : this.dropped).increment();
			return;
		}
		this.ready.release();
	}

	@Override
	public boolean wants(WebhookEventType type, String channel) {
		for (WebhookEndpoint endpoint : this.endpoints) {
			if (endpoint.accepts(type, channel)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Requests a receiver answered with 2xx.
	 * @return the count
	 */
	public long delivered() {
		return this.delivered.sum();
	}

	/**
	 * Requests given up after the last attempt.
	 * @return the count
	 */
	public long failed() {
		return this.failed.sum();
	}

	/**
	 * Retries made.
	 * @return the count
	 */
	public long retried() {
		return this.retried.sum();
	}

	/**
	 * Events dropped because their queue was full (or the sender closed), member events
	 * included.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.sum() + this.presenceDropped.sum();
	}

	/**
	 * Member events dropped because their queue was full (or the sender closed).
	 * @return the count
	 */
	public long presenceDropped() {
		return this.presenceDropped.sum();
	}

	/**
	 * Events waiting in the queues.
	 * @return the count
	 */
	public int queued() {
		return this.queue.size() + this.presenceQueue.size();
	}

	/**
	 * Stop taking events and deliver those queued, waiting up to the shutdown timeout for
	 * them (failures are not retried any more); what is left then is abandoned. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.ready.release();
		this.worker.shutdown();
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		try {
			if (this.worker.awaitTermination(this.settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
				// Every request started has given its permit back once answered or given up.
				this.inFlight.tryAcquire(this.settings.maxConcurrentRequests(),
						Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.worker.shutdownNow();
			this.retries.shutdownNow();
			int left = queued();
			if (left > 0) {
				logger.warn("Webhook sender closed with " + left + " event(s) not delivered");
			}
		}
	}

	private void run() {
		List<WebhookEvent> batch = new ArrayList<>(this.settings.maxEventsPerRequest());
		while (true) {
			try {
				if (this.presenceQueue.isEmpty() && this.queue.isEmpty()) {
					if (this.closed.get()) {
						return;
					}
					this.ready.acquire();
					// Each event released a permit after it was queued: what the queues hold now
					// covers every permit taken here.
					this.ready.drainPermits();
					continue;
				}
				this.presenceQueue.drainTo(batch, this.settings.maxEventsPerRequest());
				this.queue.drainTo(batch, this.settings.maxEventsPerRequest() - batch.size());
				for (WebhookEndpoint endpoint : this.endpoints) {
					List<WebhookEvent> own = selected(endpoint, batch);
					if (own.isEmpty()) {
						continue;
					}
					String body = body(own);
					this.inFlight.acquire();
					attempt(endpoint, body, 1);
				}
				batch.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				batch.clear();
				logger.warn("Could not send webhook events", ex);
			}
		}
	}

	private static List<WebhookEvent> selected(WebhookEndpoint endpoint, List<WebhookEvent> batch) {
		List<WebhookEvent> own = new ArrayList<>(batch.size());
		for (WebhookEvent event : batch) {
			if (endpoint.accepts(event)) {
				own.add(event);
			}
		}
		return own;
	}

	private String body(List<WebhookEvent> events) {
		ObjectNode body = this.jsonMapper.createObjectNode();
		body.put("time_ms", this.clock.millis());
		ArrayNode array = body.putArray("events");
		for (WebhookEvent event : events) {
			event.writeTo(array.addObject());
		}
		return this.jsonMapper.writeValueAsString(body);
	}

	private void attempt(WebhookEndpoint endpoint, String body, int attempt) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.url()).timeout(this.settings.timeout());
		// The endpoint's headers cannot name the ones set below (WebhookEndpoint refuses them).
		endpoint.headers().forEach(builder::header);
		HttpRequest request = builder.header("Content-Type", "application/json")
			.header("X-Pusher-Key", endpoint.app().key())
			.header("X-Pusher-Signature", PusherSignatures.sign(endpoint.app().secret(), body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			this.httpClient.sendAsync(request, HttpResponse.BodyHandlers.discarding())
				.whenComplete((response, failure) -> {
					boolean ok = failure == null && response.statusCode() / 100 == 2;
					if (ok) {
						this.delivered.increment();
						this.inFlight.release();
					}
					else {
						retryOrGiveUp(endpoint, body, attempt,
								(failure != null) ? failure.toString() : "status " + response.statusCode());
					}
				});
		}
		catch (RuntimeException ex) {
			// The client refuses new requests once closed.
			retryOrGiveUp(endpoint, body, attempt, ex.toString());
		}
	}

	private void retryOrGiveUp(WebhookEndpoint endpoint, String body, int attempt, String reason) {
		if (attempt >= this.settings.maxAttempts() || this.closed.get()) {
			this.failed.increment();
			this.inFlight.release();
			logger.warn("Webhook to " + endpoint.url() + " failed after " + attempt + " attempt(s): " + reason);
			return;
		}
		this.retried.increment();
		try {
			this.retries.schedule(() -> attempt(endpoint, body, attempt + 1),
					this.settings.backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			// Closed meanwhile.
			this.failed.increment();
			this.inFlight.release();
		}
	}

}
