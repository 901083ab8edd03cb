package dev.realtime.http;

import java.time.Duration;

/**
 * How webhooks are delivered.
 *
 * @param queueCapacity most events waiting to be sent, other than member events; also the
 * most channel changes the dispatcher holds (waiting for it or for the debounce)
 * @param presenceQueueCapacity the same for member events ({@code member_added},
 * {@code member_removed}), which the other events cannot use
 * @param maxAttempts tries per request before its events are dropped
 * @param initialBackoff wait before the first retry, doubled for each further one
 * @param maxBackoff longest wait between retries
 * @param timeout time limit of one request
 * @param maxEventsPerRequest most events in one request body
 * @param maxConcurrentRequests most requests in flight (retries included)
 * @param shutdownTimeout longest wait at close for the queued events to be delivered
 */
public record WebhookSettings(int queueCapacity, int presenceQueueCapacity, int maxAttempts, Duration initialBackoff,
		Duration maxBackoff, Duration timeout, int maxEventsPerRequest, int maxConcurrentRequests,
		Duration shutdownTimeout) {

	public WebhookSettings {
		if (queueCapacity < 1 || presenceQueueCapacity < 1 || maxAttempts < 1 || maxEventsPerRequest < 1
				|| maxConcurrentRequests < 1) {
			throw new IllegalArgumentException("Webhook limits must be positive");
		}
	}

	/**
	 * The wait before a retry.
	 * @param retry 1 for the first retry
	 * @return the backoff, doubling from the initial one up to the maximum
	 */
	public Duration backoff(int retry) {
		long millis = this.initialBackoff.toMillis() << Math.min(retry - 1, 20);
		return Duration.ofMillis(Math.min(millis, this.maxBackoff.toMillis()));
	}

}
