package dev.realtime.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
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
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Redis connections of one node and their health: a pub/sub connection (the channels
 * local clients hold), a pipelined publishing connection and a command connection
 * (presence scripts, counts), all on one Lettuce client owned by this object, plus the
 * node's scheduler for periodic work.
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

	private final RedisClient client;

	private final ClientResources resources;

	private final RedisClusterConfig config;

	private final ScheduledExecutorService scheduler;

	private final List<RedisPubSubListener<byte[], byte[]>> pubSubListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> connectedActions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong reconnects = new AtomicLong();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> publisher;

	private volatile @Nullable StatefulRedisConnection<String, String> commands;

	private volatile @Nullable String lastError;

	/**
	 * Connections to the Redis at the given address (not opened until {@link #start()}).
	 * @param uri where Redis is
	 * @param config the node's settings
	 */
	public RedisConnections(RedisURI uri, RedisClusterConfig config) {
		this.config = config;
		this.resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
			.build();
		// Named, so an operator can tell the nodes' connections apart in CLIENT LIST.
		RedisURI named = (uri.getClientName() != null) ? uri : named(uri, config.keyPrefix() + "-" + config.nodeId());
		this.client = RedisClient.create(this.resources, named);
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.replayFilter((command) -> command.getType() == CommandType.PUBLISH)
			.socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).keepAlive(true).build())
			.timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
			.build());
		this.client.addListener(new StateListener());
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-redis"));
	}

	/**
	 * Receive the messages of the pub/sub connection. Register before {@link #start()}.
	 * @param listener called on Lettuce's I/O thread: must not block
	 */
	public void addPubSubListener(RedisPubSubListener<byte[], byte[]> listener) {
		this.pubSubListeners.add(listener);
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.pubSub;
		if (connection != null) {
			connection.addListener(listener);
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
		StatefulRedisConnection<byte[], byte[]> publisher = this.publisher;
		StatefulRedisConnection<String, String> commands = this.commands;
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

	@Nullable StatefulRedisConnection<byte[], byte[]> publisher() {
		return this.publisher;
	}

	@Nullable StatefulRedisConnection<String, String> commands() {
		return this.commands;
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
		closeQuietly(this.pubSub);
		closeQuietly(this.publisher);
		closeQuietly(this.commands);
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
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
				StatefulRedisPubSubConnection<byte[], byte[]> connection = this.client
					.connectPubSub(ByteArrayCodec.INSTANCE);
				this.pubSubListeners.forEach(connection::addListener);
				this.pubSub = connection;
			}
			if (this.publisher == null) {
				StatefulRedisConnection<byte[], byte[]> connection = this.client.connect(ByteArrayCodec.INSTANCE);
				connection.setAutoFlushCommands(false);
				this.publisher = connection;
			}
			if (this.commands == null) {
				this.commands = this.client.connect(StringCodec.UTF8);
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

	private static void closeQuietly(@Nullable StatefulRedisConnection<?, ?> connection) {
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

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
			// Only reconnects of connections we already hold: the first connect is tryConnect's.
			if (isOurs(connection) && !RedisConnections.this.closed.get()) {
				RedisConnections.this.reconnects.incrementAndGet();
				logger.info("Reconnected to Redis at " + socketAddress);
				// Give Lettuce a moment to finish the handshake and its own re-subscription.
				try {
					RedisConnections.this.scheduler.schedule(RedisConnections.this::runConnectedActions, 100,
							TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException ex) {
					// Closing.
				}
			}
		}

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			if (isOurs(connection) && !RedisConnections.this.closed.get()) {
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
