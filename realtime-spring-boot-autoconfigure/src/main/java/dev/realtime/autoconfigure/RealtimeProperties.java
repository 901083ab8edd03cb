package dev.realtime.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.realtime.SlowConsumerPolicy;
import dev.realtime.http.WebhookEventType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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
	 * Applications (id, key, secret, settings) clients may connect to; the first is the
	 * default app. Each app is a tenant: its own channels, members and counts. When none is
	 * configured, one app with id "app", key "app-key" and a random secret made at startup
	 * is used: enough for a single node that signs with its own auth endpoint, not for
	 * several nodes or server SDKs, which need a configured secret. A user-defined
	 * AppRegistry bean replaces this list.
	 */
	private List<App> apps = new ArrayList<>();

	private final AppHubs appHubs = new AppHubs();

	/**
	 * Which server carries the WebSocket connections: "servlet" for the application's own
	 * web server (Tomcat, Jetty) at realtime.path, "netty" for a Netty server of its own on
	 * realtime.netty.port (needs io.netty:netty-codec-http; leaner per connection and
	 * faster at fan-out, see BENCHMARKS.md).
	 */
	private Transport transport = Transport.SERVLET;

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
	 * channels cannot be authorized. With it and BouncyCastle (bcprov-jdk18on) on the class
	 * path, the server also encrypts what the application publishes to them.
	 */
	private @Nullable String encryptionMasterKey;

	/**
	 * Which broadcaster carries published events to the connections: "memory" for one node;
	 * "redis", "nats" or "rabbitmq" to share events, presence and counts between nodes
	 * ("rabbitmq" needs Redis beside it for presence, counts and webhook de-duplication).
	 */
	private BroadcasterType broadcaster = BroadcasterType.MEMORY;

	/**
	 * Most events waiting to be handed to this node's connections before new ones are
	 * dropped (and counted in realtime.broadcaster.dropped).
	 */
	private int broadcastBufferSize = 8192;

	private final Limits limits = new Limits();

	private final Outbox outbox = new Outbox();

	private final Presence presence = new Presence();

	private final ClientEvents clientEvents = new ClientEvents();

	private final Watchlists watchlists = new Watchlists();

	private final Auth auth = new Auth();

	private final HttpApi httpApi = new HttpApi();

	private final Webhooks webhooks = new Webhooks();

	private final Cache cache = new Cache();

	private final Redis redis = new Redis();

	@NestedConfigurationProperty
	private final NatsProperties nats = new NatsProperties();

	@NestedConfigurationProperty
	private final RabbitmqProperties rabbitmq = new RabbitmqProperties();

	private final Netty netty = new Netty();

	private final Compression compression = new Compression();

	private final Events events = new Events();

	private final SubscriptionCount subscriptionCount = new SubscriptionCount();

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

	public AppHubs getAppHubs() {
		return this.appHubs;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public Netty getNetty() {
		return this.netty;
	}

	public Compression getCompression() {
		return this.compression;
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

	public Limits getLimits() {
		return this.limits;
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

	public Watchlists getWatchlists() {
		return this.watchlists;
	}

	public Auth getAuth() {
		return this.auth;
	}

	public HttpApi getHttpApi() {
		return this.httpApi;
	}

	public Webhooks getWebhooks() {
		return this.webhooks;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public NatsProperties getNats() {
		return this.nats;
	}

	public RabbitmqProperties getRabbitmq() {
		return this.rabbitmq;
	}

	public Events getEvents() {
		return this.events;
	}

	public SubscriptionCount getSubscriptionCount() {
		return this.subscriptionCount;
	}

	/**
	 * The broadcaster implementations.
	 */
	public enum BroadcasterType {

		/** In memory: events reach the connections of this node only. */
		MEMORY,

		/** Redis pub/sub: events reach the connections of every node. */
		REDIS,

		/** NATS with JetStream: events, presence and counts for every node. */
		NATS,

		/** RabbitMQ for events, with Redis beside it for presence and counts. */
		RABBITMQ

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

		/**
		 * Whether the app takes connections (a disabled app's are closed with 4003) and
		 * HTTP API requests (answered 403).
		 */
		private boolean enabled = true;

		/**
		 * Whether the app's clients may send client events; unset for
		 * realtime.client-events.enabled.
		 */
		private @Nullable Boolean clientEventsEnabled;

		/**
		 * Most members of one of the app's presence channels; unset for
		 * realtime.presence.max-members.
		 */
		private @Nullable Integer presenceMaxMembers;

		/**
		 * Largest user_info of a member of the app's presence channels; unset for
		 * realtime.presence.max-user-info-size.
		 */
		private @Nullable DataSize presenceMaxUserInfoSize;

		/**
		 * Largest data of one event the app publishes through the HTTP API; unset for
		 * realtime.http-api.max-payload-size.
		 */
		private @Nullable DataSize maxPayloadSize;

		/**
		 * URLs the app's webhooks are sent to, signed with its key and secret (the events
		 * sent are realtime.webhooks.events).
		 */
		private List<URI> webhooks = new ArrayList<>();

		/**
		 * Most connections of this app across the cluster (with the Redis broadcaster the
		 * other nodes' counts are a few seconds old, so the quota is approximate); more are
		 * refused with 4004 and pusher-js does not reconnect. Unset for no quota.
		 */
		private @Nullable Integer maxConnections;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Boolean getClientEventsEnabled() {
			return this.clientEventsEnabled;
		}

		public void setClientEventsEnabled(@Nullable Boolean clientEventsEnabled) {
			this.clientEventsEnabled = clientEventsEnabled;
		}

		public @Nullable Integer getPresenceMaxMembers() {
			return this.presenceMaxMembers;
		}

		public void setPresenceMaxMembers(@Nullable Integer presenceMaxMembers) {
			this.presenceMaxMembers = presenceMaxMembers;
		}

		public @Nullable DataSize getPresenceMaxUserInfoSize() {
			return this.presenceMaxUserInfoSize;
		}

		public void setPresenceMaxUserInfoSize(@Nullable DataSize presenceMaxUserInfoSize) {
			this.presenceMaxUserInfoSize = presenceMaxUserInfoSize;
		}

		public @Nullable DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(@Nullable DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

		public List<URI> getWebhooks() {
			return this.webhooks;
		}

		public void setWebhooks(List<URI> webhooks) {
			this.webhooks = webhooks;
		}

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

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

	}

	/**
	 * Admission of new connections (per node, per client address) and what one connection
	 * may do. See the README's "Exposing it to the internet".
	 */
	public static class Limits {

		/**
		 * Most WebSocket connections this node accepts; more are refused with 4100 (pusher-js
		 * tries again after a second). Unset: on the Servlet transport with Tomcat,
		 * server.tomcat.max-connections minus reserved-http-connections, so that the auth
		 * endpoints, the HTTP API and actuator still get a connection when the WebSocket side
		 * is full; otherwise no limit. 0 for no limit.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * On the Servlet transport with Tomcat, how many of server.tomcat.max-connections are
		 * kept for HTTP requests (HTTP keep-alive connections count too). Unset: a tenth of
		 * server.tomcat.max-connections. Startup fails if max-connections leaves fewer.
		 */
		private @Nullable Integer reservedHttpConnections;

		/**
		 * Most connections from one client address (IPv6: one /64); more are refused with
		 * 4100. 0 for no limit. Clients behind one NAT share an address.
		 */
		private int maxConnectionsPerIp;

		/**
		 * Most new connections per second from one client address (IPv6: one /64), and as
		 * many at once; more are refused with 4100. 0 for no limit.
		 */
		private int connectRatePerIp;

		/**
		 * Addresses and CIDR ranges (such as 10.0.0.0/8) of the proxies in front of the
		 * server. When a connection comes from one of them, its client address is the
		 * right-most address of X-Forwarded-For that is not a trusted proxy. Empty: the
		 * peer's address is the client's, and X-Forwarded-For is ignored.
		 */
		private List<String> trustedProxies = new ArrayList<>();

		/**
		 * Most channels one connection may be subscribed to; further subscriptions get
		 * pusher:subscription_error LimitReached.
		 */
		private int maxChannelsPerConnection = 100;

		/**
		 * Most messages of any kind (subscribe, unsubscribe, ping, client events) one
		 * connection may send per second on average; more are dropped with pusher:error 4301
		 * (told once per second), and a connection that goes on sending more than twice
		 * this is closed with 4301.
		 */
		private int messageRate = 20;

		/**
		 * Most messages one connection may send at once after a quiet while; at least
		 * max-channels-per-connection, so that a reconnecting client can subscribe to all its
		 * channels in one go.
		 */
		private int messageBurst = 200;

		/**
		 * How soon a connection must sign in or join a private or presence channel before it
		 * is closed with 4009 (Pusher's "authorized connections"). 0 to let connections stay
		 * anonymous.
		 */
		private Duration authorizationTimeout = Duration.ZERO;

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public @Nullable Integer getReservedHttpConnections() {
			return this.reservedHttpConnections;
		}

		public void setReservedHttpConnections(@Nullable Integer reservedHttpConnections) {
			this.reservedHttpConnections = reservedHttpConnections;
		}

		public int getMaxConnectionsPerIp() {
			return this.maxConnectionsPerIp;
		}

		public void setMaxConnectionsPerIp(int maxConnectionsPerIp) {
			this.maxConnectionsPerIp = maxConnectionsPerIp;
		}

		public int getConnectRatePerIp() {
			return this.connectRatePerIp;
		}

		public void setConnectRatePerIp(int connectRatePerIp) {
			this.connectRatePerIp = connectRatePerIp;
		}

		public List<String> getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(List<String> trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

		public int getMaxChannelsPerConnection() {
			return this.maxChannelsPerConnection;
		}

		public void setMaxChannelsPerConnection(int maxChannelsPerConnection) {
			this.maxChannelsPerConnection = maxChannelsPerConnection;
		}

		public int getMessageRate() {
			return this.messageRate;
		}

		public void setMessageRate(int messageRate) {
			this.messageRate = messageRate;
		}

		public int getMessageBurst() {
			return this.messageBurst;
		}

		public void setMessageBurst(int messageBurst) {
			this.messageBurst = messageBurst;
		}

		public Duration getAuthorizationTimeout() {
			return this.authorizationTimeout;
		}

		public void setAuthorizationTimeout(Duration authorizationTimeout) {
			this.authorizationTimeout = authorizationTimeout;
		}

	}

	/**
	 * The hubs of apps other than the default one, built on a node when first needed.
	 */
	public static class AppHubs {

		/**
		 * Most apps besides the default one with a hub on a node at a time; connections to
		 * further apps are closed with 4100 (they retry later) and their HTTP API requests
		 * answered 503.
		 */
		private int maxApps = 1000;

		/**
		 * How often each app with a hub is looked up again in the AppRegistry: the hubs of
		 * apps removed, disabled or changed since, and of apps without connections on the
		 * node, are closed (their clients reconnect). Zero never.
		 */
		private Duration refreshInterval = Duration.ofSeconds(30);

		public int getMaxApps() {
			return this.maxApps;
		}

		public void setMaxApps(int maxApps) {
			this.maxApps = maxApps;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
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
	 * Watchlist events: a signed-in user's connections are told when the users on the
	 * user's {@code watchlist} (in the signed {@code user_data}) come online or go offline.
	 */
	public static class Watchlists {

		/**
		 * Whether signed-in users' online state is tracked across the cluster and told to
		 * their watchers. Off saves one presence write per sign-in, and watchlists are then
		 * ignored.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
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

		/**
		 * Origin patterns of pages served elsewhere that may call the auth endpoints with
		 * credentials (CORS), such as "https://*.example.com". Empty allows same-origin
		 * pages only.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Largest body of an auth request (form or JSON); larger ones are refused with 413
		 * without being read further.
		 */
		private DataSize maxBodySize = DataSize.ofKilobytes(16);

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

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

	}


	/**
	 * The Pusher HTTP API ("/apps/{id}/events", "/apps/{id}/channels", ...) used by the
	 * Pusher server SDKs.
	 */
	public static class HttpApi {

		/**
		 * Whether to serve the HTTP API.
		 */
		private boolean enabled = true;

		/**
		 * Largest "data" of one published event; larger events are refused with 413.
		 */
		private DataSize maxPayloadSize = DataSize.ofKilobytes(10);

		/**
		 * Most channels one event may be published to.
		 */
		private int maxChannelsPerEvent = 100;

		/**
		 * Most events in one batch_events request.
		 */
		private int maxBatchSize = 10;

		/**
		 * How far a request's auth_timestamp may be from the server's clock, either way.
		 */
		private Duration timestampTolerance = Duration.ofSeconds(600);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

		public int getMaxChannelsPerEvent() {
			return this.maxChannelsPerEvent;
		}

		public void setMaxChannelsPerEvent(int maxChannelsPerEvent) {
			this.maxChannelsPerEvent = maxChannelsPerEvent;
		}

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public Duration getTimestampTolerance() {
			return this.timestampTolerance;
		}

		public void setTimestampTolerance(Duration timestampTolerance) {
			this.timestampTolerance = timestampTolerance;
		}

	}

	/**
	 * Webhooks: the server POSTs what happens on channels to the application's URLs,
	 * signed as Pusher signs them (X-Pusher-Key, X-Pusher-Signature).
	 */
	public static class Webhooks {

		/**
		 * Where to send webhooks; each endpoint receives the events it selects (its
		 * events, filter), by default every event of realtime.webhooks.events. None: no
		 * webhooks are sent.
		 */
		private List<Endpoint> endpoints = new ArrayList<>();

		/**
		 * Which events to send to the endpoints that do not list their own:
		 * channel_occupied, channel_vacated, member_added, member_removed, client_event,
		 * cache_miss, subscription_count.
		 */
		private Set<WebhookEventType> events = EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED,
				WebhookEventType.CHANNEL_VACATED, WebhookEventType.MEMBER_ADDED, WebhookEventType.MEMBER_REMOVED,
				WebhookEventType.CACHE_MISS);

		/**
		 * How long channel_vacated and member_removed wait for the channel or member to
		 * come back (a page reload) before they are sent; if it comes back, neither the
		 * removal nor the new arrival is sent.
		 */
		private Duration debounce = Duration.ofSeconds(3);

		/**
		 * Most webhook events other than member events waiting to be sent (and most channel
		 * changes waiting for the debounce); further events are dropped and counted.
		 */
		private int queueCapacity = 10_000;

		/**
		 * Most member_added / member_removed events waiting to be sent, apart from the
		 * other events so that those (channel churn, cache misses, client events) cannot
		 * crowd them out; further ones are dropped and counted.
		 */
		private int presenceQueueCapacity = 10_000;

		/**
		 * How many times a webhook request is tried before its events are dropped (and
		 * counted as failed).
		 */
		private int maxAttempts = 5;

		/**
		 * Wait before the first retry; doubled for each further retry.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest wait between retries.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Time limit of one webhook request (connect and answer).
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Most events sent together in one webhook request.
		 */
		private int maxEventsPerRequest = 50;

		/**
		 * How often subscription_count events are sent for channels whose count changed.
		 */
		private Duration subscriptionCountInterval = Duration.ofSeconds(5);

		public List<Endpoint> getEndpoints() {
			return this.endpoints;
		}

		public void setEndpoints(List<Endpoint> endpoints) {
			this.endpoints = endpoints;
		}

		public Set<WebhookEventType> getEvents() {
			return this.events;
		}

		public void setEvents(Set<WebhookEventType> events) {
			this.events = events;
		}

		public Duration getDebounce() {
			return this.debounce;
		}

		public void setDebounce(Duration debounce) {
			this.debounce = debounce;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public int getPresenceQueueCapacity() {
			return this.presenceQueueCapacity;
		}

		public void setPresenceQueueCapacity(int presenceQueueCapacity) {
			this.presenceQueueCapacity = presenceQueueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxEventsPerRequest() {
			return this.maxEventsPerRequest;
		}

		public void setMaxEventsPerRequest(int maxEventsPerRequest) {
			this.maxEventsPerRequest = maxEventsPerRequest;
		}

		public Duration getSubscriptionCountInterval() {
			return this.subscriptionCountInterval;
		}

		public void setSubscriptionCountInterval(Duration subscriptionCountInterval) {
			this.subscriptionCountInterval = subscriptionCountInterval;
		}

		/**
		 * One webhook receiver.
		 */
		public static class Endpoint {

			/**
			 * URL the webhooks are POSTed to.
			 */
			private @Nullable String url;

			/**
			 * Id of the app whose key and secret sign the webhooks (X-Pusher-Key,
			 * X-Pusher-Signature); the first configured app when not set.
			 */
			private @Nullable String appId;

			/**
			 * Event types this endpoint receives (names as in realtime.webhooks.events);
			 * those of realtime.webhooks.events when not set. A type listed here is
			 * produced even if realtime.webhooks.events leaves it out.
			 */
			private @Nullable Set<WebhookEventType> events;

			/**
			 * Which channels' events this endpoint receives.
			 */
			private final Filter filter = new Filter();

			/**
			 * Extra HTTP headers sent with every request to this endpoint (for example an
			 * Authorization the receiver checks). Content-Type, Content-Length, Host,
			 * X-Pusher-Key, X-Pusher-Signature and the connection's headers are the
			 * server's and refused at startup.
			 */
			private Map<String, String> headers = new LinkedHashMap<>();

			public @Nullable String getUrl() {
				return this.url;
			}

			public void setUrl(@Nullable String url) {
				this.url = url;
			}

			public @Nullable String getAppId() {
				return this.appId;
			}

			public void setAppId(@Nullable String appId) {
				this.appId = appId;
			}

			public @Nullable Set<WebhookEventType> getEvents() {
				return this.events;
			}

			public void setEvents(@Nullable Set<WebhookEventType> events) {
				this.events = events;
			}

			public Filter getFilter() {
				return this.filter;
			}

			public Map<String, String> getHeaders() {
				return this.headers;
			}

			public void setHeaders(Map<String, String> headers) {
				this.headers = headers;
			}

			/**
			 * Which channels' events an endpoint receives; both conditions when both are
			 * set.
			 */
			public static class Filter {

				/**
				 * Only events of channels whose name starts with this (for example
				 * presence-); any channel when not set.
				 */
				private @Nullable String prefix;

				/**
				 * Only events of channels whose name ends with this; any channel when not
				 * set.
				 */
				private @Nullable String suffix;

				public @Nullable String getPrefix() {
					return this.prefix;
				}

				public void setPrefix(@Nullable String prefix) {
					this.prefix = prefix;
				}

				public @Nullable String getSuffix() {
					return this.suffix;
				}

				public void setSuffix(@Nullable String suffix) {
					this.suffix = suffix;
				}

			}

		}

	}

	/**
	 * Cache channels (cache-, private-cache-, private-encrypted-cache-, presence-cache-):
	 * the last event is kept and given to each new subscriber.
	 */
	public static class Cache {

		/**
		 * How long the last event of a cache channel is kept after it was published.
		 */
		private Duration ttl = Duration.ofMinutes(30);

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
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

	/**
	 * The server that carries the WebSocket connections.
	 */
	public enum Transport {

		/** The application's web server (Servlet WebSocket). */
		SERVLET,

		/** A Netty server of its own on realtime.netty.port. */
		NETTY

	}

	/**
	 * WebSocket compression (permessage-deflate, RFC 7692) for clients that offer it, as
	 * browsers and Node's ws do.
	 */
	public static class Compression {

		/**
		 * Whether clients may negotiate permessage-deflate. Netty transport: without context
		 * takeover, each broadcast compressed once for every such connection. Servlet
		 * transport: the container's own compression, per connection (see README).
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The Netty transport (realtime.transport=netty).
	 */
	public static class Netty {

		/**
		 * Address to bind; all addresses when not set.
		 */
		private @Nullable String address;

		/**
		 * Port of the WebSocket endpoint; 0 picks a free port. Clients connect to it
		 * (pusher-js: wsPort/wssPort) while auth requests still go to the application's port.
		 */
		private int port = 6001;

		/**
		 * Event loop threads; 0 uses one per two processors (at least one), leaving the
		 * other processors to the broadcast thread and the application (see BENCHMARKS.md).
		 */
		private int ioThreads;

		/**
		 * Length of the queue of connections not yet accepted.
		 */
		private int backlog = 4096;

		/**
		 * Bytes queued on one socket above which no more frames are written to it; they wait
		 * in the connection's outbox (where the slow-consumer policy applies) until the
		 * socket drains below half of this.
		 */
		private DataSize writeBufferHighWaterMark = DataSize.ofKilobytes(64);

		/**
		 * Longest wait for the WebSocket upgrade request after a TCP connection opens.
		 */
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		/**
		 * How long a keep-alive HTTP API connection to this port (/apps/...) may wait for
		 * its next request before the server closes it.
		 */
		private Duration apiIdleTimeout = Duration.ofSeconds(60);

		private final Ssl ssl = new Ssl();

		public Ssl getSsl() {
			return this.ssl;
		}

		public @Nullable String getAddress() {
			return this.address;
		}

		public void setAddress(@Nullable String address) {
			this.address = address;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public int getIoThreads() {
			return this.ioThreads;
		}

		public void setIoThreads(int ioThreads) {
			this.ioThreads = ioThreads;
		}

		public int getBacklog() {
			return this.backlog;
		}

		public void setBacklog(int backlog) {
			this.backlog = backlog;
		}

		public DataSize getWriteBufferHighWaterMark() {
			return this.writeBufferHighWaterMark;
		}

		public void setWriteBufferHighWaterMark(DataSize writeBufferHighWaterMark) {
			this.writeBufferHighWaterMark = writeBufferHighWaterMark;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public Duration getApiIdleTimeout() {
			return this.apiIdleTimeout;
		}

		public void setApiIdleTimeout(Duration apiIdleTimeout) {
			this.apiIdleTimeout = apiIdleTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}


		/**
		 * TLS of the Netty endpoint (wss://).
		 */
		public static class Ssl {

			/**
			 * Name of the SSL bundle (spring.ssl.bundle.*) whose key and certificate the
			 * endpoint presents; plain ws:// when not set. With the bundle's
			 * reload-on-update, new connections get the new certificate.
			 */
			private @Nullable String bundle;

			public @Nullable String getBundle() {
				return this.bundle;
			}

			public void setBundle(@Nullable String bundle) {
				this.bundle = bundle;
			}

		}

	}

	/**
	 * Lifecycle events (connections, subscriptions, members, client events, sign-ins)
	 * published as Spring application events for {@code @EventListener}s.
	 */
	public static class Events {

		/**
		 * Whether lifecycle events are published.
		 */
		private boolean enabled = true;

		/**
		 * Most events waiting for the listeners; beyond it new events are dropped and
		 * counted (realtime.events.dropped).
		 */
		private int queueCapacity = 10000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Subscription counts sent to the subscribers of public and private channels
	 * (pusher_internal:subscription_count, pusher-js "pusher:subscription_count").
	 */
	public static class SubscriptionCount {

		/**
		 * Whether subscribers are told their channel's subscription count when it changes.
		 */
		private boolean enabled;

		/**
		 * How often counts are read (cluster-wide) and changes sent: at most one count
		 * per channel per interval.
		 */
		private Duration interval = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

}
