package dev.realtime.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.internal.DaemonThreads;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import org.jspecify.annotations.Nullable;

/**
 * This node's connection to NATS, shared by its NATS components: connects in the
 * background (the node starts even when NATS is unreachable), reconnects forever with a
 * short wait, and after every (re)connect makes sure the key-value buckets exist and runs
 * the {@link #onConnected} actions on the node's scheduler, which also runs the
 * components' periodic work.
 * <p>
 * Buckets are in memory storage with one value per key: they hold state the nodes rebuild
 * (a node writes its memberships back after a reconnect), not data to keep.
 */
public final class NatsConnection implements AutoCloseable {

	/** Buckets whose entries expire (a dead node's heartbeat and counts). */
	static final String NODES = "nodes";

	/** Presence rosters, one key per channel; never expire (dead nodes are reaped). */
	static final String PRESENCE = "presence";

	/** Webhook claims. */
	static final String WEBHOOKS = "webhooks";

	private final NatsEngineConfig config;

	private final ScheduledExecutorService scheduler;

	private final List<Runnable> connectedActions = new CopyOnWriteArrayList<>();

	private final Map<String, Duration> buckets = new ConcurrentHashMap<>();

	private final Map<String, KeyValue> handles = new ConcurrentHashMap<>();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder reconnects = new LongAdder();

	private volatile @Nullable Connection connection;

	private volatile boolean up;

	private volatile @Nullable String lastError;

	/**
	 * A connection with the given settings; {@link #start()} opens it.
	 * @param config the node's settings
	 */
	public NatsConnection(NatsEngineConfig config) {
		this.config = config;
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-nats"));
		bucket(NODES, config.nodeTtl());
		bucket(PRESENCE, Duration.ZERO);
	}

	/**
	 * The node's settings.
	 * @return the settings
	 */
	public NatsEngineConfig config() {
		return this.config;
	}

	/**
	 * Run an action after every (re)connect, once the buckets exist. Register before
	 * {@link #start()}.
	 * @param action runs on the scheduler
	 */
	public void onConnected(Runnable action) {
		this.connectedActions.add(action);
	}

	/**
	 * Open the connection in the background. Idempotent.
	 */
	public void start() {
		if (!this.started.compareAndSet(false, true)) {
			return;
		}
		Options.Builder options = Options.builder()
			.servers(this.config.servers().toArray(String[]::new))
			.connectionName("realtime-" + this.config.prefix() + "-" + this.config.nodeId())
			.maxReconnects(-1)
			.reconnectWait(Duration.ofMillis(250))
			.connectionTimeout(this.config.requestTimeout().multipliedBy(2))
			// Events published while disconnected are dropped and counted, not sent late.
			.reconnectBufferSize(0)
			.connectionListener(new Listener())
			.errorListener(new Errors());
		String username = this.config.username();
		String password = this.config.password();
		if (username != null && password != null) {
			options.userInfo(username, password);
		}
		String token = this.config.token();
		if (token != null) {
			options.token(token.toCharArray());
		}
		try {
			Nats.connectAsynchronously(options.build(), true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The connection, once it was opened.
	 * @return the connection, or {@code null} before the first connect
	 */
	public @Nullable Connection connection() {
		return this.connection;
	}

	/**
	 * Whether the connection is open and the buckets were checked.
	 * @return whether NATS is reachable
	 */
	public boolean isUp() {
		return this.up && !this.closed.get();
	}

	/**
	 * The last connection or request failure.
	 * @return a description, or {@code null}
	 */
	public @Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * How many times the connection came back after being lost.
	 * @return the count
	 */
	public long reconnects() {
		return this.reconnects.sum();
	}

	/**
	 * The node's scheduler, for periodic work of the NATS components.
	 * @return the scheduler
	 */
	public ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * Note a failure for {@link #lastError()}.
	 * @param failure what failed
	 */
	public void recordError(Throwable failure) {
		this.lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	/**
	 * Declare a bucket this node uses; it is created (if missing) after every connect.
	 * @param name the bucket's name under the prefix
	 * @param ttl how long entries live after their last write, zero for ever
	 */
	public void bucket(String name, Duration ttl) {
		this.buckets.put(name, ttl);
		this.handles.remove(name);
		Connection open = this.connection;
		if (open != null && this.up) {
			try {
				this.scheduler.execute(() -> ensureBuckets(open));
			}
			catch (RejectedExecutionException ex) {
				// Closed.
			}
		}
	}

	/**
	 * A declared bucket.
	 * @param name the bucket's name under the prefix
	 * @return the bucket
	 * @throws IOException if NATS is not connected
	 */
	public KeyValue keyValue(String name) throws IOException {
		Connection open = this.connection;
		if (open == null || !isUp()) {
			throw new IOException("NATS is not connected");
		}
		KeyValue handle = this.handles.get(name);
		if (handle == null) {
			handle = open.keyValue(bucketName(name));
			this.handles.put(name, handle);
		}
		return handle;
	}

	/**
	 * The full name of a bucket.
	 * @param name the bucket's name under the prefix
	 * @return the name in NATS
	 */
	public String bucketName(String name) {
		return this.config.prefix() + "-" + name;
	}

	/**
	 * Close the connection and stop the scheduler. The buckets stay (other nodes use
	 * them).
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.up = false;
		this.scheduler.shutdownNow();
		Connection open = this.connection;
		if (open != null) {
			try {
				open.close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void connected(Connection open, boolean again) {
		this.connection = open;
		if (again) {
			this.reconnects.increment();
		}
		try {
			this.scheduler.execute(() -> {
				if (ensureBuckets(open)) {
					this.up = true;
					for (Runnable action : this.connectedActions) {
						try {
							action.run();
						}
						catch (RuntimeException ex) {
							recordError(ex);
						}
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed.
		}
	}

	private boolean ensureBuckets(Connection open) {
		try {
			KeyValueManagement management = open.keyValueManagement();
			for (Map.Entry<String, Duration> bucket : this.buckets.entrySet()) {
				String name = bucketName(bucket.getKey());
				try {
					management.getStatus(name);
				}
				catch (JetStreamApiException missing) {
					KeyValueConfiguration.Builder config = KeyValueConfiguration.builder()
						.name(name)
						.maxHistoryPerKey(1)
						.storageType(StorageType.Memory);
					if (!bucket.getValue().isZero()) {
						config.ttl(bucket.getValue());
					}
					try {
						management.create(config.build());
					}
					catch (JetStreamApiException raced) {
						// Another node created it meanwhile.
						management.getStatus(name);
					}
				}
			}
			return true;
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			recordError(ex);
			// Checked again on the next reconnect; without buckets the node is not up.
			this.scheduler.schedule(() -> ensureBucketsAgain(open), 1, TimeUnit.SECONDS);
			return false;
		}
	}

	private void ensureBucketsAgain(Connection open) {
		if (!this.closed.get() && open.getStatus() == Connection.Status.CONNECTED && !this.up) {
			connected(open, false);
		}
	}

	private final class Listener implements ConnectionListener {

		@Override
		public void connectionEvent(Connection open, Events type) {
			switch (type) {
				case CONNECTED -> connected(open, false);
				case RECONNECTED -> connected(open, true);
				case DISCONNECTED, CLOSED -> {
					NatsConnection.this.up = false;
					NatsConnection.this.lastError = "NATS connection " + type.getEvent();
				}
				default -> {
				}
			}
		}

	}

	private final class Errors implements ErrorListener {

		@Override
		public void errorOccurred(Connection open, String error) {
			NatsConnection.this.lastError = error;
		}

		@Override
		public void exceptionOccurred(Connection open, Exception exception) {
			recordError(exception);
		}

		@Override
		public void slowConsumerDetected(Connection open, Consumer consumer) {
			NatsConnection.this.lastError = "slow consumer: NATS dropped messages for this node";
		}

	}

}
