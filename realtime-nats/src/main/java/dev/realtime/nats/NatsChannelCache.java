package dev.realtime.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import org.jspecify.annotations.Nullable;

/**
 * The last event of each cache channel in the {@code {prefix}-cache} key-value bucket,
 * shared by every node; the bucket's entries expire after the cache time to live.
 * <p>
 * {@link #put} publishes to the key's JetStream subject without waiting for the
 * acknowledgement (a failure is counted, the event is still broadcast); {@link #get}
 * waits at most the request timeout and throws {@link IllegalStateException} when NATS
 * cannot answer.
 */
public final class NatsChannelCache implements ChannelCache {

	static final String CACHE = "cache";

	private final NatsConnection connection;

	private final String nodeId;

	private final LongAdder failures = new LongAdder();

	/**
	 * A cache over the node's NATS connection.
	 * @param connection the node's NATS connection
	 * @param ttl how long an event is kept after it was published
	 */
	public NatsChannelCache(NatsConnection connection, Duration ttl) {
		this.connection = connection;
		this.nodeId = connection.config().nodeId();
		connection.bucket(CACHE, ttl);
	}

	@Override
	public void put(Event event) {
		Connection open = this.connection.connection();
		if (open == null || !this.connection.isUp()) {
			this.failures.increment();
			return;
		}
		try {
			String subject = "$KV." + this.connection.bucketName(CACHE) + "." + Subjects.key(event.channel());
			byte[] body = new NatsMessage(NatsMessage.EVENT, this.nodeId, event, null, 0).encode();
			open.jetStream().publishAsync(subject, body).whenComplete((ack, failure) -> {
				if (failure != null) {
					this.failures.increment();
					this.connection.recordError(failure);
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			this.failures.increment();
			this.connection.recordError(ex);
		}
	}

	@Override
	public @Nullable Event get(String channel) {
		try {
			KeyValueEntry entry = this.connection.keyValue(CACHE).get(Subjects.key(channel));
			if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
				return null;
			}
			Event cached = NatsMessage.decode(entry.getValue()).event();
			return new Event(channel, cached.name(), cached.payload());
		}
		catch (IOException | JetStreamApiException ex) {
			this.failures.increment();
			throw new IllegalStateException("NATS did not answer: " + ex.getMessage(), ex);
		}
		catch (IllegalArgumentException ex) {
			// Not an entry this module wrote.
			return null;
		}
	}

	/**
	 * Writes and reads that failed.
	 * @return the count
	 */
	public long failures() {
		return this.failures.sum();
	}

}
