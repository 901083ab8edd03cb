package dev.realtime.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings shared by the Redis components of one node: immutable, built with
 * {@link #builder()}.
 */
public final class RedisClusterConfig {

	/** Default prefix of every key and pub/sub channel. */
	public static final String DEFAULT_KEY_PREFIX = "realtime";

	/** Default most events waiting to be published to Redis before new ones are dropped. */
	public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 65_536;

	/** Default most PUBLISH commands written in one pipelined batch. */
	public static final int DEFAULT_PUBLISH_BATCH_SIZE = 512;

	/** Default buffer per local subscription (see {@code MemoryBroadcaster}). */
	public static final int DEFAULT_BUFFER_SIZE = 16_384;

	/** Default time after which a node that stopped refreshing its presence is reaped. */
	public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(15);

	/** Default longest wait for a Redis reply on a caller's thread. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

	/** Default interval between writes of this node's subscription counts. */
	public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(1);

	private final String keyPrefix;

	private final String nodeId;

	private final int publishQueueCapacity;

	private final int publishBatchSize;

	private final int bufferSize;

	private final Duration nodeTtl;

	private final Duration commandTimeout;

	private final Duration statsInterval;

	private RedisClusterConfig(Builder builder) {
		this.keyPrefix = builder.keyPrefix;
		this.nodeId = (builder.nodeId != null) ? builder.nodeId : randomNodeId();
		this.publishQueueCapacity = builder.publishQueueCapacity;
		this.publishBatchSize = builder.publishBatchSize;
		this.bufferSize = builder.bufferSize;
		this.nodeTtl = builder.nodeTtl;
		this.commandTimeout = builder.commandTimeout;
		this.statsInterval = builder.statsInterval;
	}

	/**
	 * A builder starting from the defaults (and a random node id).
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The prefix of every key and pub/sub channel, so several applications (or test runs)
	 * can share one Redis.
	 * @return the prefix, without the trailing colon
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * This node's id, unique among the nodes sharing the Redis.
	 * @return the id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Most events waiting to be published to Redis; beyond it new events are dropped for
	 * the other nodes (still delivered locally) and counted.
	 * @return the capacity
	 */
	public int publishQueueCapacity() {
		return this.publishQueueCapacity;
	}

	/**
	 * Most PUBLISH commands written in one pipelined batch.
	 * @return the batch size
	 */
	public int publishBatchSize() {
		return this.publishBatchSize;
	}

	/**
	 * Buffer per local subscription of the broadcaster.
	 * @return the buffer size
	 */
	public int bufferSize() {
		return this.bufferSize;
	}

	/**
	 * How long a node's presence entries outlive its last refresh: a node that dies is
	 * removed from every roster (and {@code member_removed} sent) within about this time
	 * plus a third of it. Refreshed every third of it.
	 * @return the time to live
	 */
	public Duration nodeTtl() {
		return this.nodeTtl;
	}

	/**
	 * Longest a caller's thread waits for Redis (a presence join).
	 * @return the timeout
	 */
	public Duration commandTimeout() {
		return this.commandTimeout;
	}

	/**
	 * Interval between writes of this node's subscription counts to Redis (other nodes see
	 * them this late at most).
	 * @return the interval
	 */
	public Duration statsInterval() {
		return this.statsInterval;
	}

	private static String randomNodeId() {
		byte[] bytes = new byte[6];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * Builds a {@link RedisClusterConfig}.
	 */
	public static final class Builder {

		private String keyPrefix = DEFAULT_KEY_PREFIX;

		private @Nullable String nodeId;

		private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;

		private int publishBatchSize = DEFAULT_PUBLISH_BATCH_SIZE;

		private int bufferSize = DEFAULT_BUFFER_SIZE;

		private Duration nodeTtl = DEFAULT_NODE_TTL;

		private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

		private Duration statsInterval = DEFAULT_STATS_INTERVAL;

		private Builder() {
		}

		/**
		 * Set the key prefix.
		 * @param prefix the prefix, without the trailing colon
		 * @return this builder
		 */
		public Builder keyPrefix(String prefix) {
			Objects.requireNonNull(prefix, "prefix");
			if (prefix.isEmpty()) {
				throw new IllegalArgumentException("keyPrefix must not be empty");
			}
			this.keyPrefix = prefix;
			return this;
		}

		/**
		 * Set this node's id.
		 * @param nodeId letters, digits, {@code -} and {@code _} only
		 * @return this builder
		 */
		public Builder nodeId(String nodeId) {
			if (!nodeId.matches("[A-Za-z0-9_-]{1,64}")) {
				throw new IllegalArgumentException("nodeId must be 1-64 of [A-Za-z0-9_-], was " + nodeId);
			}
			this.nodeId = nodeId;
			return this;
		}

		/**
		 * Set the publish queue capacity.
		 * @param capacity at least 1
		 * @return this builder
		 */
		public Builder publishQueueCapacity(int capacity) {
			this.publishQueueCapacity = positive(capacity, "publishQueueCapacity");
			return this;
		}

		/**
		 * Set the publish batch size.
		 * @param size at least 1
		 * @return this builder
		 */
		public Builder publishBatchSize(int size) {
			this.publishBatchSize = positive(size, "publishBatchSize");
			return this;
		}

		/**
		 * Set the buffer per local subscription.
		 * @param size at least 1
		 * @return this builder
		 */
		public Builder bufferSize(int size) {
			this.bufferSize = positive(size, "bufferSize");
			return this;
		}

		/**
		 * Set the node time to live.
		 * @param ttl at least 300 ms
		 * @return this builder
		 */
		public Builder nodeTtl(Duration ttl) {
			if (ttl.toMillis() < 300) {
				throw new IllegalArgumentException("nodeTtl must be at least 300ms, was " + ttl);
			}
			this.nodeTtl = ttl;
			return this;
		}

		/**
		 * Set the command timeout.
		 * @param timeout positive
		 * @return this builder
		 */
		public Builder commandTimeout(Duration timeout) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("commandTimeout must be positive, was " + timeout);
			}
			this.commandTimeout = timeout;
			return this;
		}

		/**
		 * Set the stats interval.
		 * @param interval positive
		 * @return this builder
		 */
		public Builder statsInterval(Duration interval) {
			if (interval.isNegative() || interval.isZero()) {
				throw new IllegalArgumentException("statsInterval must be positive, was " + interval);
			}
			this.statsInterval = interval;
			return this;
		}

		/**
		 * Build the configuration.
		 * @return the configuration
		 */
		public RedisClusterConfig build() {
			return new RedisClusterConfig(this);
		}

		private static int positive(int value, String name) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, was " + value);
			}
			return value;
		}

	}

}
