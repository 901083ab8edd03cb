package dev.realtime.redis;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

/**
 * The last event of each cache channel in Redis, shared by every node: one string key per
 * channel ({@code {prefix}:cache:{channel}}) that expires after the time to live.
 * <p>
 * {@link #put} sends the SET without waiting (a failure is counted, the event is still
 * broadcast); {@link #get} waits at most the command timeout and throws
 * {@link IllegalStateException} when Redis cannot answer.
 */
public final class RedisChannelCache implements ChannelCache {

	private final RedisConnections connections;

	private final String keyPrefix;

	private final long ttlMillis;

	private final long timeoutMillis;

	private final LongAdder failures = new LongAdder();

	/**
	 * A cache over the node's Redis connections.
	 * @param connections the node's Redis connections
	 * @param ttl how long an event is kept after it was published
	 */
	public RedisChannelCache(RedisConnections connections, Duration ttl) {
		this.connections = connections;
		this.keyPrefix = connections.config().keyPrefix() + ":cache:";
		this.ttlMillis = ttl.toMillis();
		this.timeoutMillis = connections.config().commandTimeout().toMillis();
	}

	@Override
	public void put(Event event) {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			this.failures.increment();
			return;
		}
		commands
			.set(this.keyPrefix + event.channel(), encode(event), SetArgs.Builder.px(this.ttlMillis))
			.whenComplete((reply, failure) -> {
				if (failure != null) {
					this.failures.increment();
					this.connections.recordError(failure);
				}
			});
	}

	@Override
	public @Nullable Event get(String channel) {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			throw new IllegalStateException("Redis is unreachable");
		}
		try {
			String value = commands.get(this.keyPrefix + channel).get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			return (value != null) ? decode(channel, value) : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			this.failures.increment();
			throw new IllegalStateException("Redis did not answer", ex);
		}
	}

	/**
	 * Writes and reads that failed.
	 * @return the count
	 */
	public long failures() {
		return this.failures.sum();
	}

	/** {@code <name length>:<name><payload>}: any name and payload, no escaping. */
	static String encode(Event event) {
		return event.name().length() + ":" + event.name() + event.payload();
	}

	static @Nullable Event decode(String channel, String value) {
		int colon = value.indexOf(':');
		if (colon < 1) {
			return null;
		}
		try {
			int length = Integer.parseInt(value, 0, colon, 10);
			int end = colon + 1 + length;
			if (end > value.length()) {
				return null;
			}
			return new Event(channel, value.substring(colon + 1, end), value.substring(end));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
