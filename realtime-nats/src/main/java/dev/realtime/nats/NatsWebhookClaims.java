package dev.realtime.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import io.nats.client.JetStreamApiException;

/**
 * Lets one node of the cluster send each webhook event: the first node to
 * {@code create} the event's key in the {@code {prefix}-webhooks} bucket (which fails if
 * the key exists) sends it. The bucket's entries expire after the claim window given
 * here; the server has no per-key expiry before NATS 2.11, so the window is the bucket's.
 * <p>
 * When NATS cannot answer, the claim is granted: a webhook sent twice is better than one
 * lost (handlers already tolerate Pusher's at-least-once delivery). Such claims are
 * counted.
 */
public final class NatsWebhookClaims {

	private static final int WRONG_LAST_SEQUENCE = 10071;

	private final NatsConnection connection;

	private final byte[] nodeId;

	private final LongAdder unverified = new LongAdder();

	/**
	 * Claims over the given connection.
	 * @param connection the node's NATS connection
	 * @param window how long a claim holds (the webhooks' debounce)
	 */
	public NatsWebhookClaims(NatsConnection connection, Duration window) {
		this.connection = connection;
		this.nodeId = connection.config().nodeId().getBytes(StandardCharsets.UTF_8);
		connection.bucket(NatsConnection.WEBHOOKS, window.isZero() ? Duration.ofSeconds(1) : window);
	}

	/**
	 * Claim an event (the shape of the webhook deduplicator).
	 * @param key identifies the change, the same on every node that sees it
	 * @param window ignored: the bucket's expiry is the window
	 * @return {@code true} if this node should send the event
	 */
	public boolean claim(String key, Duration window) {
		if (!this.connection.isUp()) {
			this.unverified.increment();
			return true;
		}
		try {
			this.connection.keyValue(NatsConnection.WEBHOOKS).create(Subjects.key(key), this.nodeId);
			return true;
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
				return false;
			}
			this.connection.recordError(ex);
		}
		catch (IOException | RuntimeException ex) {
			this.connection.recordError(ex);
		}
		this.unverified.increment();
		return true;
	}

	/**
	 * Claims granted without asking NATS, because it could not answer.
	 * @return the count
	 */
	public long unverified() {
		return this.unverified.sum();
	}

}
