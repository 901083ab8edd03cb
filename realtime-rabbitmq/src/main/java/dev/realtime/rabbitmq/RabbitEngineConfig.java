package dev.realtime.rabbitmq;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of one node's RabbitMQ broadcaster: immutable, built with {@link #builder()}.
 */
public final class RabbitEngineConfig {

	/** Default exchange (and prefix of the node queues). */
	public static final String DEFAULT_EXCHANGE = "realtime";

	/** Default most events waiting to be published before new ones are dropped. */
	public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 65_536;

	/** Default buffer per local subscription (see {@code MemoryBroadcaster}). */
	public static final int DEFAULT_BUFFER_SIZE = 16_384;

	/** Default time a node's queue outlives its consumer. */
	public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(15);

	/** Default messages the broker sends ahead to the node's consumer. */
	public static final int DEFAULT_PREFETCH = 1024;

	private final String exchange;

	private final String nodeId;

	private final int publishQueueCapacity;

	private final int bufferSize;

	private final Duration nodeTtl;

	private final int prefetch;

	private RabbitEngineConfig(Builder builder) {
		this.exchange = builder.exchange;
		this.nodeId = (builder.nodeId != null) ? builder.nodeId : randomNodeId();
		this.publishQueueCapacity = builder.publishQueueCapacity;
		this.bufferSize = builder.bufferSize;
		this.nodeTtl = builder.nodeTtl;
		this.prefetch = builder.prefetch;
	}

	/**
	 * A builder starting from the defaults (and a random node id).
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The direct exchange every node publishes to, with the channel as routing key.
	 * @return the exchange name
	 */
	public String exchange() {
		return this.exchange;
	}

	/**
	 * This node's id, unique among the nodes sharing the exchange.
	 * @return the id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * This node's queue: {@code {exchange}.node.{nodeId}}.
	 * @return the queue name
	 */
	public String queue() {
		return this.exchange + ".node." + this.nodeId;
	}

	/**
	 * Most events waiting to be published; beyond it new events are dropped for the other
	 * nodes (still delivered locally) and counted.
	 * @return the capacity
	 */
	public int publishQueueCapacity() {
		return this.publishQueueCapacity;
	}

	/**
	 * Buffer per local subscription of the broadcaster.
	 * @return the buffer size
	 */
	public int bufferSize() {
		return this.bufferSize;
	}

	/**
	 * How long the node's queue outlives its consumer ({@code x-expires}): the queue of a
	 * node that died, and its bindings, are removed by the broker after this.
	 * @return the time to live
	 */
	public Duration nodeTtl() {
		return this.nodeTtl;
	}

	/**
	 * Messages the broker sends ahead to the node's single consumer.
	 * @return the prefetch count
	 */
	public int prefetch() {
		return this.prefetch;
	}

	private static String randomNodeId() {
		byte[] bytes = new byte[6];
		new SecureRandom().nextBytes(bytes);
		return "node-" + HexFormat.of().formatHex(bytes);
	}

	/**
	 * Builds a {@link RabbitEngineConfig}.
	 */
	public static final class Builder {

		private String exchange = DEFAULT_EXCHANGE;

		private @Nullable String nodeId;

		private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;

		private int bufferSize = DEFAULT_BUFFER_SIZE;

		private Duration nodeTtl = DEFAULT_NODE_TTL;

		private int prefetch = DEFAULT_PREFETCH;

		private Builder() {
		}

		/**
		 * Set the exchange.
		 * @param exchange not blank
		 * @return this builder
		 */
		public Builder exchange(String exchange) {
			this.exchange = notBlank("exchange", exchange);
			return this;
		}

		/**
		 * Set the node id.
		 * @param nodeId not blank
		 * @return this builder
		 */
		public Builder nodeId(String nodeId) {
			this.nodeId = notBlank("node id", nodeId);
			return this;
		}

		/**
		 * Set the publish queue capacity.
		 * @param capacity at least 1
		 * @return this builder
		 */
		public Builder publishQueueCapacity(int capacity) {
			this.publishQueueCapacity = positive("publish queue capacity", capacity);
			return this;
		}

		/**
		 * Set the buffer per local subscription.
		 * @param bufferSize at least 1
		 * @return this builder
		 */
		public Builder bufferSize(int bufferSize) {
			this.bufferSize = positive("buffer size", bufferSize);
			return this;
		}

		/**
		 * Set the node TTL.
		 * @param nodeTtl at least one second
		 * @return this builder
		 */
		public Builder nodeTtl(Duration nodeTtl) {
			if (nodeTtl.toMillis() < 1000) {
				throw new IllegalArgumentException("The RabbitMQ node TTL must be at least one second");
			}
			this.nodeTtl = nodeTtl;
			return this;
		}

		/**
		 * Set the prefetch count.
		 * @param prefetch at least 1
		 * @return this builder
		 */
		public Builder prefetch(int prefetch) {
			this.prefetch = positive("prefetch", prefetch);
			return this;
		}

		/**
		 * Build the settings.
		 * @return the settings
		 */
		public RabbitEngineConfig build() {
			return new RabbitEngineConfig(this);
		}

		private static String notBlank(String what, String value) {
			Objects.requireNonNull(value, what);
			if (value.isBlank()) {
				throw new IllegalArgumentException("The RabbitMQ " + what + " must not be blank");
			}
			return value;
		}

		private static int positive(String what, int value) {
			if (value < 1) {
				throw new IllegalArgumentException("The " + what + " must be at least 1");
			}
			return value;
		}

	}

}
