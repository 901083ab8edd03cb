package dev.realtime.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.internal.DaemonThreads;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * The Redis connections of one node and their health: a pub/sub connection (the channels
 * local clients hold), a pipelined publishing connection and a command connection
 * (presence scripts, counts), all on one Lettuce client owned by this object, plus the
 * node's scheduler for periodic work.
 * <p>
 * The Redis is a single server, a primary found through Redis Sentinel, or a Redis
 * Cluster ({@link #cluster}). On a cluster, channel events use sharded pub/sub
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}, Redis 7), which stays within the channel's shard
 * instead of being copied to every node; Lettuce routes each command to its slot's
 * primary and refreshes the topology periodically and when a command is redirected or a
 * node stops answering. A topology change runs the {@link #onConnected} actions too,
 * since subscriptions on a failed primary are gone and its last writes may be lost.
 * <p>
 * Lettuce reconnects by itself (with a short, capped backoff); commands issued while a
 * connection is down fail at once rather than pile up, and PUBLISH commands cut off by a
 * disconnect are not replayed (an event must not reach a channel twice). If Redis is
 * unreachable at {@link #start()}, connecting is retried in the background. Each time the
 * connections are up again the {@link #onConnected} actions run on the scheduler, so the
 * other components can re-subscribe and re-announce what they hold.
 */
public final class RedisConnections implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnections.class);

	/** Topology refresh period on a cluster (changes are also noticed at once on redirects). */
	private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);

	private final @Nullable RedisClient client;

	private final @Nullable RedisClusterClient clusterClient;

	private final ClientResources resources;

	private final @Nullable Disposable topologyChanges;

	private final RedisClusterConfig config;

	private final ScheduledExecutorService scheduler;

	/** Each both a plain and a cluster listener: which one is told depends on the topology. */
	private final List<Object> pubSubListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> connectedActions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicBoolean actionsPending = new AtomicBoolean();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

	private volatile @Nullable StatefulConnection<byte[], byte[]> publisher;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> publisherCommands;

	private volatile @Nullable StatefulConnection<String, String> commands;

	private volatile @Nullable RedisClusterAsyncCommands<String, String> asyncCommands;

	private volatile @Nullable String lastError;

	/**
	 * Connections to the Redis at the given address (not opened until {@link #start()}).
	 * @param uri where Redis is: a server, or sentinels and the primary's name
	 * @param config the node's settings
	 */
	public RedisConnections(RedisURI uri, RedisClusterConfig config) {
		this(List.of(uri), config, false);
	}

	private RedisConnections(List<RedisURI> uris, RedisClusterConfig config, boolean cluster) {
		this.config = config;
		this.resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
			.build();
		// Named, so an operator can tell the nodes' connections apart in CLIENT LIST.
		String name = config.keyPrefix() + "-" + config.nodeId();
		List<RedisURI> named = uris.stream().map((uri) -> (uri.getClientName() != null) ? uri : named(uri, name)).toList();
		SocketOptions socket = SocketOptions.builder().connectTimeout(config.commandTimeout()).keepAlive(true).build();
		if (cluster) {
			this.client = null;
			this.clusterClient = RedisClusterClient.create(this.resources, named);
			ClusterClientOptions.Builder options = ClusterClientOptions.builder()
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enablePeriodicRefresh(TOPOLOGY_REFRESH)
					.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
					.build());
			configure(options, socket);
			this.clusterClient.setOptions(options.build());
			this.clusterClient.addListener(new StateListener());
			// A failover or a moved slot: subscriptions must follow the new owners.
			this.topologyChanges = this.resources.eventBus()
				.get()
				.filter(ClusterTopologyChangedEvent.class::isInstance)
				.subscribe((event) -> topologyChanged());
		}
		else {
			this.clusterClient = null;
			this.topologyChanges = null;
			this.client = RedisClient.create(this.resources, named.get(0));
			ClientOptions.Builder options = ClientOptions.builder();
			configure(options, socket);
			this.client.setOptions(options.build());
			this.client.addListener(new StateListener());
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-redis"));
	}

	/**
	 * Connections to a Redis Cluster (not opened until {@link #start()}).
	 * @param seeds some of the cluster's nodes; the others are discovered
	 * @param config the node's settings
	 * @return the connections
	 */
	public static RedisConnections cluster(List<RedisURI> seeds, RedisClusterConfig config) {
		if (seeds.isEmpty()) {
			throw new IllegalArgumentException("A Redis Cluster needs at least one node to start from");
		}
		return new RedisConnections(seeds, config, true);
	}

	private void configure(ClientOptions.Builder options, SocketOptions socket) {
		options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.replayFilter((command) -> command.getType() == CommandType.PUBLISH
					|| command.getType() == CommandType.SPUBLISH)
			.socketOptions(socket)
			.timeoutOptions(TimeoutOptions.enabled(this.config.commandTimeout()));
	}

	/**
	 * Whether these connect to a Redis Cluster, whose channel events use sharded pub/sub.
	 * @return {@code true} for a cluster
	 */
	public boolean isCluster() {
		return this.clusterClient != null;
	}

	/**
	 * Receive the messages of the pub/sub connection. Register before {@link #start()}.
	 * @param listener called on Lettuce's I/O thread: must not block
	 */
	public <L extends RedisPubSubListener<byte[], byte[]> & RedisClusterPubSubListener<byte[], byte[]>> void addPubSubListener(
			L listener) {
		this.pubSubListeners.add(listener);
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.pubSub;
		if (connection != null) {
			listen(connection, listener);
		}
	}

	/**
	 * Run an action on the scheduler each time the connections are up: after the first
	 * connect and after every reconnect.
	 * @param action the action; must be idempotent
	 */
	public void onConnected(Runnable action) {
		this.connectedActions.add(action);
	}

	/**
	 * Open the connections, retrying in the background while Redis is unreachable.
	 * Idempotent.
	 */
	public void start() {
		if (this.started.compareAndSet(false, true) && !tryConnect()) {
			this.scheduler.execute(this::retryConnect);
		}
	}

	/**
	 * Whether every connection is open.
	 * @return {@code true} if Redis can be reached now
	 */
	public boolean isUp() {
		StatefulRedisPubSubConnection<byte[], byte[]> pubSub = this.pubSub;
		StatefulConnection<byte[], byte[]> publisher = this.publisher;
		StatefulConnection<String, String> commands = this.commands;
		return pubSub != null && pubSub.isOpen() && publisher != null && publisher.isOpen() && commands != null
				&& commands.isOpen();
	}

	/**
	 * The last connection failure, if any.
	 * @return a description, or {@code null}
	 */
	public @Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * How many times a connection came back after being lost.
	 * @return the count
	 */
	public long reconnects() {
		return this.reconnects.get();
	}

	/**
	 * The node's settings.
	 * @return the settings
	 */
	public RedisClusterConfig config() {
		return this.config;
	}

	@Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubSub() {
		return this.pubSub;
	}

	@Nullable StatefulConnection<byte[], byte[]> publisher() {
		return this.publisher;
	}

	/** The publishing connection's commands (auto-flush off: flush the {@link #publisher()}). */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> publisherCommands() {
		return this.publisherCommands;
	}

	/**
	 * The command connection's commands, if every connection is up.
	 * @return the commands, or {@code null} while Redis is unreachable
	 */
	@Nullable RedisClusterAsyncCommands<String, String> commands() {
		return isUp() ? this.asyncCommands : null;
	}

	/**
	 * Whether a sharded message came from the primary that serves its channel's slot now:
	 * after a failover the old primary, back as a replica, may still deliver the channels
	 * Lettuce subscribed there again on reconnect.
	 */
	boolean fromSlotOwner(RedisClusterNode node, byte[] redisChannel) {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.pubSub;
		if (!(connection instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster)) {
			return true;
		}
		RedisClusterNode owner = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(redisChannel));
		return owner == null || owner.getNodeId().equals(node.getNodeId());
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	void recordError(Throwable failure) {
		this.lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	/**
	 * Close the connections and stop the scheduler. Idempotent. Components using these
	 * connections should be closed first.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.scheduler.shutdownNow();
		if (this.topologyChanges != null) {
			this.topologyChanges.dispose();
		}
		closeQuietly(this.pubSub);
		closeQuietly(this.publisher);
		closeQuietly(this.commands);
		if (this.client != null) {
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		if (this.clusterClient != null) {
			this.clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	private static RedisURI named(RedisURI uri, String clientName) {
		RedisURI.Builder named = RedisURI.builder(uri).withClientName(clientName);
		// Lettuce's copy leaves out the sentinels and the primary's name.
		if (!uri.getSentinels().isEmpty()) {
			uri.getSentinels().forEach(named::withSentinel);
			named.withSentinelMasterId(uri.getSentinelMasterId());
		}
		return named.build();
	}

	private boolean tryConnect() {
		try {
			if (this.pubSub == null) {
				this.pubSub = openPubSub();
			}
			if (this.publisher == null) {
				StatefulConnection<byte[], byte[]> connection = open(ByteArrayCodec.INSTANCE);
				connection.setAutoFlushCommands(false);
				this.publisherCommands = async(connection);
				this.publisher = connection;
			}
			if (this.commands == null) {
				StatefulConnection<String, String> connection = open(StringCodec.UTF8);
				this.asyncCommands = async(connection);
				this.commands = connection;
			}
			runConnectedActions();
			return true;
		}
		catch (RuntimeException ex) {
			recordError(ex);
			logger.warn("Cannot connect to Redis, retrying in the background: " + ex.getMessage());
			return false;
		}
	}

	private StatefulRedisPubSubConnection<byte[], byte[]> openPubSub() {
		if (this.clusterClient != null) {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> connection = this.clusterClient
				.connectPubSub(ByteArrayCodec.INSTANCE);
			this.pubSubListeners.forEach((listener) -> listen(connection, listener));
			return connection;
		}
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.client.connectPubSub(ByteArrayCodec.INSTANCE);
		this.pubSubListeners.forEach((listener) -> listen(connection, listener));
		return connection;
	}

	@SuppressWarnings("unchecked")
	private static void listen(StatefulRedisPubSubConnection<byte[], byte[]> connection, Object listener) {
		if (connection instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
			// Told the node each message came from; Lettuce gathers the node connections' messages.
			cluster.setNodeMessagePropagation(true);
			cluster.addListener((RedisClusterPubSubListener<byte[], byte[]>) listener);
		}
		else {
			connection.addListener((RedisPubSubListener<byte[], byte[]>) listener);
		}
	}

	private <K, V> StatefulConnection<K, V> open(RedisCodec<K, V> codec) {
		return (this.clusterClient != null) ? this.clusterClient.connect(codec) : this.client.connect(codec);
	}

	private static <K, V> RedisClusterAsyncCommands<K, V> async(StatefulConnection<K, V> connection) {
		if (connection instanceof StatefulRedisClusterConnection<K, V> cluster) {
			return cluster.async();
		}
		return ((StatefulRedisConnection<K, V>) connection).async();
	}

	private void topologyChanged() {
		if (!this.closed.get()) {
			logger.info("Redis Cluster topology changed: subscribing and writing back again");
			actionsSoon();
		}
	}

	/**
	 * Run the connected actions shortly, once for a burst of reconnects: giving Lettuce a
	 * moment to finish the handshake and its own re-subscription.
	 */
	private void actionsSoon() {
		if (!this.actionsPending.compareAndSet(false, true)) {
			return;
		}
		try {
			this.scheduler.schedule(() -> {
				this.actionsPending.set(false);
				runConnectedActions();
			}, 100, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closing.
		}
	}

	private void retryConnect() {
		if (this.closed.get() || tryConnect()) {
			return;
		}
		this.scheduler.schedule(this::retryConnect, 1, TimeUnit.SECONDS);
	}

	private void runConnectedActions() {
		if (this.closed.get()) {
			return;
		}
		this.scheduler.execute(() -> {
			for (Runnable action : this.connectedActions) {
				try {
					action.run();
				}
				catch (RuntimeException ex) {
					recordError(ex);
					logger.warn("Redis reconnect action failed", ex);
				}
			}
		});
	}

	private boolean isOurs(RedisChannelHandler<?, ?> handler) {
		return handler == this.pubSub || handler == this.publisher || handler == this.commands;
	}

	private static void closeQuietly(@Nullable StatefulConnection<?, ?> connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Closing anyway.
			}
		}
	}

	private final class StateListener implements RedisConnectionStateListener {

		/**
		 * Connections that went down: on a cluster, Lettuce's connections to each node sit
		 * under ours, and a lost one coming back (a restarted primary may have lost its
		 * data) counts as a reconnect. Weak, since short-lived topology refresh
		 * connections are told of too.
		 */
		private final Set<RedisChannelHandler<?, ?>> lost = Collections
			.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
			// Only reconnects of connections we already hold: the first connect is tryConnect's.
			boolean again = this.lost.remove(connection) || isOurs(connection);
			if (again && !RedisConnections.this.closed.get()) {
				RedisConnections.this.reconnects.incrementAndGet();
				logger.info("Reconnected to Redis at " + socketAddress);
				actionsSoon();
			}
		}

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			if (RedisConnections.this.closed.get()) {
				return;
			}
			this.lost.add(connection);
			if (isOurs(connection)) {
				RedisConnections.this.lastError = "Connection to Redis lost";
				logger.warn("Connection to Redis lost; reconnecting");
			}
		}

		@Override
		public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
			if (isOurs(connection)) {
				recordError(cause);
			}
		}

	}

}
