package dev.realtime.redis;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.http.WebhookDeduplicator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Lets one node of the cluster send each webhook event: the first node to
 * {@code SET {prefix}:webhook:{key} NX PX window} sends it, the others see the key taken.
 * <p>
 * When Redis cannot answer, the claim is granted: a webhook sent twice is better than one
 * lost (handlers already tolerate Pusher's at-least-once delivery). Such claims are
 * counted.
 */
public final class RedisWebhookDeduplicator implements WebhookDeduplicator {

	private final RedisConnections connections;

	private final String keyPrefix;

	private final String nodeId;

	private final long timeoutMillis;

	private final LongAdder unverified = new LongAdder();

	/**
	 * A deduplicator over the node's Redis connections.
	 * @param connections the node's Redis connections
	 */
	public RedisWebhookDeduplicator(RedisConnections connections) {
		this.connections = connections;
		this.keyPrefix = connections.config().keyPrefix() + ":webhook:";
		this.nodeId = connections.config().nodeId();
		this.timeoutMillis = connections.config().commandTimeout().toMillis();
	}

	@Override
	public boolean claim(String key, Duration window) {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			this.unverified.increment();
			return true;
		}
		try {
			String reply = commands
				.set(this.keyPrefix + key, this.nodeId, SetArgs.Builder.nx().px(Math.max(1, window.toMillis())))
				.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			return "OK".equals(reply);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.unverified.increment();
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			this.connections.recordError(ex);
			this.unverified.increment();
			return true;
		}
	}

	/**
	 * Claims granted without asking Redis, because it could not answer.
	 * @return the count
	 */
	public long unverified() {
		return this.unverified.sum();
	}

}
