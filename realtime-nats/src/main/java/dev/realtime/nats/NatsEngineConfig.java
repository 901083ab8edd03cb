package dev.realtime.nats;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Settings shared by the NATS components of one node: immutable, built with
 * {@link #builder()}.
 */
public final class NatsEngineConfig {

	/** Default server. */
	public static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";

	/** Default prefix of every subject and key-value bucket. */
	public static final String DEFAULT_PREFIX = "realtime";

	/** Default most events waiting to be published to NATS before new ones are dropped. */
	public static final int DEFAULT_PUBLISH_QUEUE_CAPACITY = 65_536;

	/** Default buffer per local subscription (see {@code MemoryBroadcaster}). */
	public static final int DEFAULT_BUFFER_SIZE = 16_384;

	/** Default time after which a node that stopped refreshing its heartbeat is reaped. */
	public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(15);

	/** Default longest wait for a JetStream reply on a caller's thread. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1);

	/** Default interval between writes of this node's subscription counts. */
	public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(1);

	/** Bucket names are built from the prefix, and NATS allows only these characters in them. */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

	private final List<String> servers;

	private final @Nullable String username;

	private final @Nullable String password;

	private final @Nullable String token;

	private final String prefix;

	private final String nodeId;

	private final int publishQueueCapacity;

	private final int bufferSize;

	private final Duration nodeTtl;

	private final Duration requestTimeout;

	private final Duration statsInterval;

	private NatsEngineConfig(Builder builder) {
		this.servers = List.copyOf(builder.servers);
		this.username = builder.username;
		this.password = builder.password;
		this.token = builder.token;
		this.prefix = builder.prefix;
		this.nodeId = (builder.nodeId != null) ? builder.nodeId : randomNodeId();
		this.publishQueueCapacity = builder.publishQueueCapacity;
		this.bufferSize = builder.bufferSize;
		this.nodeTtl = builder.nodeTtl;
		this.requestTimeout = builder.requestTimeout;
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
	 * The NATS servers to connect to (any one of a cluster will do).
	 * @return the server URLs
	 */
	public List<String> servers() {
		return this.servers;
	}

	/**
	 * The user name to log in with.
	 * @return the user name, or {@code null}
	 */
	public @Nullable String username() {
		return this.username;
	}

	/**
	 * The password to log in with.
	 * @return the password, or {@code null}
	 */
	public @Nullable String password() {
		return this.password;
	}

	/**
	 * The token to log in with.
	 * @return the token, or {@code null}
	 */
	public @Nullable String token() {
		return this.token;
	}

	/**
	 * The prefix of every subject and bucket, so several applications (or test runs) can
	 * share one NATS.
	 * @return the prefix
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * This node's id, unique among the nodes sharing the NATS.
	 * @return the id
	 */
	public String nodeId() {
		return this.nodeId;
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
	 * How long a node's heartbeat and counts outlive its last refresh: a node that dies is
	 * removed from every roster (and {@code member_removed} sent) within about this time
	 * plus a third of it. Refreshed every third of it.
	 * @return the time to live
	 */
	public Duration nodeTtl() {
		return this.nodeTtl;
	}

	/**
	 * Longest wait for a JetStream reply on a caller's thread (a presence join, a webhook
	 * claim).
	 * @return the timeout
	 */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * How often this node writes its subscription counts (when they changed) and reads the
	 * other nodes'.
	 * @return the interval
	 */
	public Duration statsInterval() {
		return this.statsInterval;
	}

	private static String randomNodeId() {
		byte[] bytes = new byte[6];
		new SecureRandom().nextBytes(bytes);
		return "node-" + HexFormat.of().formatHex(bytes);
	}

	/**
	 * Builds a {@link NatsEngineConfig}.
	 */
	public static final class Builder {

		private List<String> servers = List.of(DEFAULT_SERVER);

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable String token;

		private String prefix = DEFAULT_PREFIX;

		private @Nullable String nodeId;

		private int publishQueueCapacity = DEFAULT_PUBLISH_QUEUE_CAPACITY;

		private int bufferSize = DEFAULT_BUFFER_SIZE;

		private Duration nodeTtl = DEFAULT_NODE_TTL;

		private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

		private Duration statsInterval = DEFAULT_STATS_INTERVAL;

		private Builder() {
		}

		/**
		 * Set the servers.
		 * @param servers the server URLs, at least one
		 * @return this builder
		 */
		public Builder servers(List<String> servers) {
			if (servers.isEmpty()) {
				throw new IllegalArgumentException("At least one NATS server is needed");
			}
			this.servers = List.copyOf(servers);
			return this;
		}

		/**
		 * Log in with a user name and password.
		 * @param username the user name, or {@code null}
		 * @param password the password, or {@code null}
		 * @return this builder
		 */
		public Builder credentials(@Nullable String username, @Nullable String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Log in with a token.
		 * @param token the token, or {@code null}
		 * @return this builder
		 */
		public Builder token(@Nullable String token) {
			this.token = token;
			return this;
		}

		/**
		 * Set the prefix.
		 * @param prefix letters, digits, {@code -} and {@code _}
		 * @return this builder
		 */
		public Builder prefix(String prefix) {
			this.prefix = checkName("prefix", prefix);
			return this;
		}

		/**
		 * Set the node id.
		 * @param nodeId letters, digits, {@code -} and {@code _}
		 * @return this builder
		 */
		public Builder nodeId(String nodeId) {
			this.nodeId = checkName("node id", nodeId);
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
		 * @param nodeTtl at least 300 ms
		 * @return this builder
		 */
		public Builder nodeTtl(Duration nodeTtl) {
			if (nodeTtl.toMillis() < 300) {
				throw new IllegalArgumentException("The node TTL must be at least 300 ms");
			}
			this.nodeTtl = nodeTtl;
			return this;
		}

		/**
		 * Set the request timeout.
		 * @param requestTimeout positive
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = positive("request timeout", requestTimeout);
			return this;
		}

		/**
		 * Set the stats interval.
		 * @param statsInterval positive
		 * @return this builder
		 */
		public Builder statsInterval(Duration statsInterval) {
			this.statsInterval = positive("stats interval", statsInterval);
			return this;
		}

		/**
		 * Build the settings.
		 * @return the settings
		 */
		public NatsEngineConfig build() {
			return new NatsEngineConfig(this);
		}

		private static String checkName(String what, String value) {
			Objects.requireNonNull(value, what);
			if (!NAME.matcher(value).matches()) {
				throw new IllegalArgumentException("The NATS " + what + " may only hold letters, digits, '-' and '_': '"
						+ value + "'");
			}
			return value;
		}

		private static int positive(String what, int value) {
			if (value < 1) {
				throw new IllegalArgumentException("The " + what + " must be at least 1");
			}
			return value;
		}

		private static Duration positive(String what, Duration value) {
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException("The " + what + " must be positive");
			}
			return value;
		}

	}

}
