package dev.realtime.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.realtime.SlowConsumerPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the realtime server.
 */
@ConfigurationProperties("realtime")
public class RealtimeProperties {

	/**
	 * Whether to enable the realtime server.
	 */
	private boolean enabled = true;

	/**
	 * Applications (id, key, secret) clients may connect to. When none is configured, one
	 * app with id "app", key "app-key" and a random secret made at startup is used: enough
	 * for a single node that signs with its own auth endpoint, not for several nodes or
	 * server SDKs, which need a configured secret. A user-defined AppRegistry bean replaces
	 * this list.
	 */
	private List<App> apps = new ArrayList<>();

	/**
	 * Path of the WebSocket endpoint; "{key}" stands for the app key.
	 */
	private String path = "/app/{key}";

	/**
	 * Origin patterns allowed to open WebSocket connections, such as
	 * "https://*.example.com". Empty allows same-origin pages and clients that send no
	 * Origin header (native apps) only.
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>();

	/**
	 * Silence after which the server pings a connection, also told to clients as their
	 * activity timeout.
	 */
	private Duration activityTimeout = Duration.ofSeconds(120);

	/**
	 * How long to wait for the answer to a server ping before closing the connection with
	 * 4201.
	 */
	private Duration pongTimeout = Duration.ofSeconds(30);

	/**
	 * Largest WebSocket message a client may send; larger messages close the connection.
	 */
	private DataSize maxFrameSize = DataSize.ofKilobytes(10);

	/**
	 * Longest the server waits for connections to flush their queued messages at shutdown
	 * before closing them anyway.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	/**
	 * Master key for private-encrypted channels, base64 of 32 bytes. Without it, encrypted
	 * channels cannot be authorized.
	 */
	private @Nullable String encryptionMasterKey;

	/**
	 * Which broadcaster carries published events to the connections: "memory" for one node,
	 * "redis" to share events between nodes.
	 */
	private BroadcasterType broadcaster = BroadcasterType.MEMORY;

	/**
	 * Most events waiting to be handed to this node's connections before new ones are
	 * dropped (and counted in realtime.broadcaster.dropped).
	 */
	private int broadcastBufferSize = 8192;

	private final Outbox outbox = new Outbox();

	private final Presence presence = new Presence();

	private final ClientEvents clientEvents = new ClientEvents();

	private final Auth auth = new Auth();

	private final Redis redis = new Redis();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<App> getApps() {
		return this.apps;
	}

	public void setApps(List<App> apps) {
		this.apps = apps;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public Duration getActivityTimeout() {
		return this.activityTimeout;
	}

	public void setActivityTimeout(Duration activityTimeout) {
		this.activityTimeout = activityTimeout;
	}

	public Duration getPongTimeout() {
		return this.pongTimeout;
	}

	public void setPongTimeout(Duration pongTimeout) {
		this.pongTimeout = pongTimeout;
	}

	public DataSize getMaxFrameSize() {
		return this.maxFrameSize;
	}

	public void setMaxFrameSize(DataSize maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public @Nullable String getEncryptionMasterKey() {
		return this.encryptionMasterKey;
	}

	public void setEncryptionMasterKey(@Nullable String encryptionMasterKey) {
		this.encryptionMasterKey = encryptionMasterKey;
	}

	public BroadcasterType getBroadcaster() {
		return this.broadcaster;
	}

	public void setBroadcaster(BroadcasterType broadcaster) {
		this.broadcaster = broadcaster;
	}

	public int getBroadcastBufferSize() {
		return this.broadcastBufferSize;
	}

	public void setBroadcastBufferSize(int broadcastBufferSize) {
		this.broadcastBufferSize = broadcastBufferSize;
	}

	public Outbox getOutbox() {
		return this.outbox;
	}

	public Presence getPresence() {
		return this.presence;
	}

	public ClientEvents getClientEvents() {
		return this.clientEvents;
	}

	public Auth getAuth() {
		return this.auth;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * The broadcaster implementations.
	 */
	public enum BroadcasterType {

		/** In memory: events reach the connections of this node only. */
		MEMORY,

		/** Redis pub/sub: events reach the connections of every node. */
		REDIS

	}

	/**
	 * One application's credentials.
	 */
	public static class App {

		/**
		 * App id, used by the HTTP API ("/apps/{id}/events").
		 */
		private @Nullable String id;

		/**
		 * Public app key, part of the WebSocket URL.
		 */
		private @Nullable String key;

		/**
		 * Secret that signs channel authorizations and HTTP API requests.
		 */
		private @Nullable String secret;

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

	}

	/**
	 * Per-connection outgoing queues.
	 */
	public static class Outbox {

		/**
		 * Most messages queued for one connection before the slow-consumer policy applies.
		 */
		private int capacity = 64;

		/**
		 * What to do when a connection's queue is full: drop the message or disconnect the
		 * client (close code 4100, it reconnects after a delay).
		 */
		private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.DROP_MESSAGE;

		/**
		 * Longest a single write to a connection may block before the connection is closed;
		 * zero disables the check.
		 */
		private Duration sendTimeout = Duration.ofSeconds(10);

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public SlowConsumerPolicy getSlowConsumerPolicy() {
			return this.slowConsumerPolicy;
		}

		public void setSlowConsumerPolicy(SlowConsumerPolicy slowConsumerPolicy) {
			this.slowConsumerPolicy = slowConsumerPolicy;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

	}

	/**
	 * Presence channels.
	 */
	public static class Presence {

		/**
		 * Most members (distinct users) of one presence channel.
		 */
		private int maxMembers = 100;

		/**
		 * Largest user_info of a presence member.
		 */
		private DataSize maxUserInfoSize = DataSize.ofKilobytes(1);

		public int getMaxMembers() {
			return this.maxMembers;
		}

		public void setMaxMembers(int maxMembers) {
			this.maxMembers = maxMembers;
		}

		public DataSize getMaxUserInfoSize() {
			return this.maxUserInfoSize;
		}

		public void setMaxUserInfoSize(DataSize maxUserInfoSize) {
			this.maxUserInfoSize = maxUserInfoSize;
		}

	}

	/**
	 * Client events ("client-" events sent by connections on private and presence
	 * channels).
	 */
	public static class ClientEvents {

		/**
		 * Whether clients may send client events.
		 */
		private boolean enabled = true;

		/**
		 * Most client events one connection may send per second; further events are
		 * rejected with an error.
		 */
		private int rateLimit = 10;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(int rateLimit) {
			this.rateLimit = rateLimit;
		}

	}

	/**
	 * Authorization endpoints called by the clients.
	 */
	public static class Auth {

		/**
		 * Path of the channel authorization endpoint (pusher-js "channelAuthorization").
		 */
		private String path = "/broadcasting/auth";

		/**
		 * Path of the user authentication endpoint (pusher-js "userAuthentication", used by
		 * signin).
		 */
		private String userPath = "/broadcasting/user-auth";

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public String getUserPath() {
			return this.userPath;
		}

		public void setUserPath(String userPath) {
			this.userPath = userPath;
		}

	}

	/**
	 * Several nodes sharing one Redis ({@code realtime.broadcaster=redis}). The Redis server
	 * itself is the application's Spring Data Redis connection ({@code spring.data.redis.*}).
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key and pub/sub channel of the realtime nodes, so several
		 * applications or environments can share one Redis. Nodes of one application must use
		 * the same prefix.
		 */
		private String keyPrefix = "realtime";

		/**
		 * Id of this node among the nodes sharing the Redis (1 to 64 letters, digits, "-" or
		 * "_"), also the name of its Redis connections in CLIENT LIST. Random at every start
		 * when not set; two running nodes must never share one.
		 */
		private @Nullable String nodeId;

		/**
		 * How long a node's presence entries outlive its last heartbeat (sent every third of
		 * it): the members of a node that died are removed from presence channels, with
		 * member_removed, within about 4/3 of this. At least 300ms.
		 */
		private Duration nodeTtl = Duration.ofSeconds(15);

		/**
		 * Interval between writes of this node's subscription counts to Redis: how stale the
		 * other nodes' counts may be in channel queries.
		 */
		private Duration statsInterval = Duration.ofSeconds(1);

		/**
		 * Most events waiting to be published to Redis; beyond it new events still reach this
		 * node's connections but are dropped for the other nodes (and counted).
		 */
		private int publishQueueSize = 65_536;

		/**
		 * Most PUBLISH commands written to Redis in one pipelined batch.
		 */
		private int publishBatchSize = 512;

		/**
		 * Longest a thread waits for a Redis reply (a presence join, a channel query, a
		 * connection attempt) before giving up.
		 */
		private Duration commandTimeout = Duration.ofSeconds(1);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public @Nullable String getNodeId() {
			return this.nodeId;
		}

		public void setNodeId(@Nullable String nodeId) {
			this.nodeId = nodeId;
		}

		public Duration getNodeTtl() {
			return this.nodeTtl;
		}

		public void setNodeTtl(Duration nodeTtl) {
			this.nodeTtl = nodeTtl;
		}

		public Duration getStatsInterval() {
			return this.statsInterval;
		}

		public void setStatsInterval(Duration statsInterval) {
			this.statsInterval = statsInterval;
		}

		public int getPublishQueueSize() {
			return this.publishQueueSize;
		}

		public void setPublishQueueSize(int publishQueueSize) {
			this.publishQueueSize = publishQueueSize;
		}

		public int getPublishBatchSize() {
			return this.publishBatchSize;
		}

		public void setPublishBatchSize(int publishBatchSize) {
			this.publishBatchSize = publishBatchSize;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

	}

}
