package dev.realtime.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.rabbitmq.client.ShutdownSignalException;
import dev.realtime.ChannelListener;
import dev.realtime.ChannelNames;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.broadcast.Subscription;
import dev.realtime.internal.BoundedMpscQueue;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.internal.SerialDrainer;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * A broadcaster for many nodes sharing one RabbitMQ: an event published on any node
 * reaches the subscribers of every node, once, in publish order per publisher.
 * <p>
 * One direct exchange; each node has its own queue ({@code {exchange}.node.{id}}) bound
 * with the name of every channel its clients hold, so an event reaches exactly the nodes
 * that need it. Events published here are delivered to this node's subscriptions directly
 * and queued for RabbitMQ; one thread publishes them on one channel, so {@link #publish}
 * never blocks and a full queue or an unreachable broker only costs the other nodes the
 * event (counted in {@link #remoteDropped()}). One consumer with automatic
 * acknowledgement reads the node's queue, so events arrive in the order the broker
 * received them. Messages with this node's id are skipped.
 * <p>
 * The queue is neither exclusive nor auto-deleted, so it and its bindings survive a lost
 * connection; it expires ({@code x-expires}) when no consumer used it for the node TTL,
 * which removes a dead node's queue, and holds at most {@code publishQueueCapacity}
 * messages. After every new connection the exchange, the queue and every binding are
 * declared again (the broker may have restarted); the listener container reconnects by
 * itself.
 */
public final class RabbitBroadcaster implements Broadcaster, ChannelListener {

	private static final System.Logger logger = System.getLogger(RabbitBroadcaster.class.getName());

	static final String ORIGIN = "realtime-origin";

	static final String NAME = "realtime-event";

	static final String EXCEPT = "realtime-except";

	static final String USER = "realtime-user";

	static final String KIND = "realtime-kind";

	private static final String TERMINATE = "T";

	private static final int PUBLISH_BATCH = 256;

	/** Longest a new subscriber's confirmation waits for the node's binding. */
	private static final long LIVE_TIMEOUT_MILLIS = 2000;

	private final RabbitEngineConfig config;

	private final String nodeId;

	private final ConnectionFactory connectionFactory;

	private final RabbitAdmin admin;

	private final RabbitTemplate template;

	private final SimpleMessageListenerContainer container;

	private final MemoryBroadcaster local;

	private final BoundedMpscQueue<Outgoing> outbound;

	private final ExecutorService publishThread;

	private final SerialDrainer publishDrainer;

	private final ExecutorService bindThread;

	private final SerialDrainer bindDrainer;

	private final ConcurrentLinkedQueue<InterestChange> interestChanges = new ConcurrentLinkedQueue<>();

	/** Channel to how many holders want it; touched only by the bind thread. */
	private final Map<String, Integer> interest = new HashMap<>();

	/** Channels whose binding the broker confirmed, and waiters for the others. */
	private final ConcurrentHashMap<String, CompletableFuture<Void>> bound = new ConcurrentHashMap<>();

	private final ArrayList<Outgoing> batch = new ArrayList<>(PUBLISH_BATCH);

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder remoteDropped = new LongAdder();

	private final LongAdder published = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder malformed = new LongAdder();

	private final LongAdder reconnects = new LongAdder();

	private volatile boolean connected;

	private volatile boolean declared;

	private volatile @Nullable String lastError;

	private volatile @Nullable BiConsumer<String, String> userTerminator;

	private volatile BooleanSupplier presenceStoreUp = () -> true;

	/**
	 * A broadcaster over the given connection factory; {@link #start()} declares the
	 * node's queue and starts consuming.
	 * @param connectionFactory the application's RabbitMQ connection factory
	 * @param config the node's settings
	 * @param executor runs the subscribers' handlers (see {@link MemoryBroadcaster}), or
	 * {@code null} for the broadcaster's own threads
	 */
	public RabbitBroadcaster(ConnectionFactory connectionFactory, RabbitEngineConfig config,
			@Nullable Executor executor) {
		this.config = config;
		this.nodeId = config.nodeId();
		this.connectionFactory = connectionFactory;
		this.admin = new RabbitAdmin(connectionFactory);
		this.admin.setIgnoreDeclarationExceptions(false);
		this.template = new RabbitTemplate(connectionFactory);
		this.local = new MemoryBroadcaster(config.bufferSize(), executor);
		this.outbound = new BoundedMpscQueue<>(config.publishQueueCapacity());
		this.publishThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-rabbit-publish"));
		this.publishDrainer = new SerialDrainer(this.publishThread, this::drainOutbound, 64);
		this.bindThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-rabbit-bind"));
		this.bindDrainer = new SerialDrainer(this.bindThread, this::applyInterestChanges, 4);
		this.container = new SimpleMessageListenerContainer(connectionFactory);
		this.container.setQueueNames(config.queue());
		this.container.setConcurrentConsumers(1);
		this.container.setPrefetchCount(config.prefetch());
		this.container.setAcknowledgeMode(AcknowledgeMode.NONE);
		this.container.setMissingQueuesFatal(false);
		this.container.setRecoveryInterval(500);
		this.container.setMessageListener(this::receive);
		connectionFactory.addConnectionListener(new Listener());
	}

	/**
	 * Declare the exchange and the node's queue and start consuming (in the background if
	 * the broker is unreachable: the container keeps trying). Idempotent.
	 */
	public void start() {
		if (!this.started.compareAndSet(false, true)) {
			return;
		}
		// Declared before the consumer starts, so it does not begin by missing its queue.
		this.bindThread.execute(() -> {
			declareAll();
			if (this.closed.get()) {
				return;
			}
			try {
				this.container.afterPropertiesSet();
				this.container.start();
			}
			catch (RuntimeException ex) {
				if (!this.closed.get()) {
					throw ex;
				}
				// close() interrupted the start; it stops the container once this returns.
			}
		});
	}

	@Override
	public void publish(Event event) {
		Objects.requireNonNull(event, "event");
		ensureOpen();
		this.local.publish(event);
		enqueue(event, null);
	}

	/**
	 * Close every connection of a user, on whichever nodes they are: this node's at once,
	 * the others' through RabbitMQ. The nodes must have a user terminator set.
	 * @param userId the user id
	 */
	public void terminateUserConnections(String userId) {
		terminateUserConnections(ChannelNames.serverToUser(userId), userId);
	}

	/**
	 * Close every connection of a user whose user channel is known by a qualified name (a
	 * user of an app other than the default one: {@code ~{appId}:#server-to-user-{id}}), on
	 * whichever nodes they are. The request travels on that channel, so only the nodes
	 * holding it hear it, and the terminator can tell the app by the channel.
	 * @param userChannel the user's channel as the broadcaster knows it
	 * @param userId the user id
	 */
	public void terminateUserConnections(String userChannel, String userId) {
		ensureOpen();
		BiConsumer<String, String> terminator = this.userTerminator;
		if (terminator != null) {
			terminator.accept(userChannel, userId);
		}
		enqueue(new Event(userChannel, "terminate", userId), TERMINATE);
	}

	/**
	 * Tell the broadcaster how to see whether the store that holds presence beside it (the
	 * auto-configuration's Redis) is reachable, for {@link #health()}.
	 * @param up whether the store is reachable now
	 */
	public void setPresenceStoreHealth(BooleanSupplier up) {
		this.presenceStoreUp = up;
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it.
	 * @param terminator called on the consumer thread; must not block
	 */
	public void setUserTerminator(Consumer<String> terminator) {
		this.userTerminator = (channel, userId) -> terminator.accept(userId);
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it, told
	 * the user's channel too (which names the app when several apps share the broadcaster).
	 * @param terminator called on the consumer thread with the user's channel and id;
	 * must not block
	 */
	public void setUserTerminator(BiConsumer<String, String> terminator) {
		this.userTerminator = terminator;
	}

	@Override
	public Subscription subscribe(String channel, Consumer<Event> handler) {
		ensureOpen();
		Subscription subscription = this.local.subscribe(channel, handler);
		occupied(channel);
		return Subscription.thenOnCancel(subscription, () -> vacated(channel));
	}

	@Override
	public Subscription subscribeAll(Consumer<Event> handler) {
		ensureOpen();
		return this.local.subscribeAll(handler);
	}

	@Override
	public void occupied(String channel) {
		this.interestChanges.add(new InterestChange(channel, 1));
		this.bindDrainer.signal();
	}

	/**
	 * The hub holds a new subscriber's confirmation until the node's queue is bound to the
	 * channel, so an event published elsewhere right after it reaches the subscriber; at
	 * most two seconds.
	 */
	@Override
	public CompletionStage<?> whenLive(String channel) {
		CompletableFuture<Void> confirmed = this.bound.computeIfAbsent(channel, (key) -> new CompletableFuture<>());
		return confirmed.copy().completeOnTimeout(null, LIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void vacated(String channel) {
		this.interestChanges.add(new InterestChange(channel, -1));
		this.bindDrainer.signal();
	}

	/**
	 * Whether the channel's binding is wanted (for diagnostics and tests: applied by the
	 * bind thread soon after the hub's change).
	 * @param channel the channel
	 * @return whether this node holds it
	 */
	public boolean isBound(String channel) {
		try {
			return this.bindThread.submit(() -> this.interest.containsKey(channel) && this.declared)
				.get(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			return false;
		}
	}

	@Override
	public long dropped() {
		return this.local.dropped() + this.remoteDropped.sum();
	}

	/**
	 * Events that could not be sent to the other nodes (queue full, broker unreachable).
	 * @return the count
	 */
	public long remoteDropped() {
		return this.remoteDropped.sum();
	}

	/**
	 * The broadcaster's health, for a health indicator.
	 * @return a snapshot
	 */
	public RabbitBroadcasterHealth health() {
		boolean up = this.connected && this.declared && this.container.isRunning()
				&& this.container.getActiveConsumerCount() > 0;
		return new RabbitBroadcasterHealth(up, this.presenceStoreUp.getAsBoolean(), this.lastError,
				this.reconnects.sum(), this.published.sum(),
				this.received.sum(), this.remoteDropped.sum(), this.malformed.sum(), this.outbound.size());
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.publishDrainer.signal();
		this.publishThread.shutdown();
		try {
			this.publishThread.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.bindThread.shutdownNow();
		try {
			// The consumer is started on the bind thread: stopped only after that thread is
			// done, or a start just behind this close would consume (and reconnect) for ever.
			this.bindThread.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.container.stop();
		this.local.close();
	}

	private void enqueue(Event event, @Nullable String kind) {
		MessageProperties properties = new MessageProperties();
		properties.setHeader(ORIGIN, this.nodeId);
		properties.setHeader(NAME, event.name());
		if (event.exceptSocketId() != null) {
			properties.setHeader(EXCEPT, event.exceptSocketId());
		}
		if (event.userId() != null) {
			properties.setHeader(USER, event.userId());
		}
		if (kind != null) {
			properties.setHeader(KIND, kind);
		}
		// The routing key is the channel; the body only the payload.
		Message message = new Message(event.payload().getBytes(StandardCharsets.UTF_8), properties);
		if (this.outbound.offer(new Outgoing(event.channel(), message))) {
			this.publishDrainer.signal();
		}
		else {
			this.remoteDropped.increment();
		}
	}

	// The publish thread

	private void drainOutbound() {
		while (this.outbound.drain(this.batch::add, PUBLISH_BATCH) > 0) {
			if (!this.connected) {
				this.remoteDropped.add(this.batch.size());
				this.batch.clear();
				continue;
			}
			try {
				// One channel for the whole batch, so the broker receives it in order.
				this.template.invoke((operations) -> {
					for (Outgoing outgoing : this.batch) {
						operations.send(this.config.exchange(), outgoing.channel(), outgoing.message());
					}
					return null;
				});
				this.published.add(this.batch.size());
			}
			catch (AmqpException ex) {
				this.remoteDropped.add(this.batch.size());
				recordError(ex);
			}
			this.batch.clear();
		}
	}

	// The bind thread

	private void declareAll() {
		try {
			this.admin.declareExchange(new DirectExchange(this.config.exchange(), true, false));
			Map<String, Object> arguments = new HashMap<>();
			arguments.put("x-expires", this.config.nodeTtl().toMillis());
			arguments.put("x-max-length", this.config.publishQueueCapacity());
			this.admin.declareQueue(new Queue(this.config.queue(), false, false, false, arguments));
			for (String channel : this.interest.keySet()) {
				this.admin.declareBinding(binding(channel));
				confirmBound(channel);
			}
			this.declared = true;
		}
		catch (AmqpException ex) {
			this.declared = false;
			recordError(ex);
		}
	}

	private void applyInterestChanges() {
		InterestChange change;
		while ((change = this.interestChanges.poll()) != null) {
			int before = this.interest.getOrDefault(change.channel(), 0);
			int after = before + change.delta();
			if (after <= 0) {
				this.interest.remove(change.channel());
			}
			else {
				this.interest.put(change.channel(), after);
			}
			if (!this.declared) {
				// Bound by declareAll() once the broker is reachable.
				continue;
			}
			try {
				if (before <= 0 && after > 0) {
					this.admin.declareBinding(binding(change.channel()));
					confirmBound(change.channel());
				}
				else if (before > 0 && after <= 0) {
					this.bound.remove(change.channel());
					this.admin.removeBinding(binding(change.channel()));
				}
			}
			catch (AmqpException ex) {
				this.declared = false;
				recordError(ex);
			}
		}
	}

	private void confirmBound(String channel) {
		this.bound.computeIfAbsent(channel, (key) -> new CompletableFuture<>()).complete(null);
	}

	private Binding binding(String channel) {
		return new Binding(this.config.queue(), Binding.DestinationType.QUEUE, this.config.exchange(), channel, null);
	}

	private void recordError(Throwable failure) {
		this.lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The broadcaster is closed");
		}
	}

	/** Runs on the container's single consumer thread: decode and hand over. */
	private void receive(Message message) {
		if (this.closed.get()) {
			return;
		}
		MessageProperties properties = message.getMessageProperties();
		String origin = header(properties, ORIGIN);
		String name = header(properties, NAME);
		String channel = properties.getReceivedRoutingKey();
		if (origin == null || name == null || name.isEmpty() || channel == null || channel.isEmpty()) {
			this.malformed.increment();
			logger.log(System.Logger.Level.WARNING, "Skipped a message without realtime headers on queue "
					+ this.config.queue() + " (routing key " + channel + ")");
			return;
		}
		if (this.nodeId.equals(origin)) {
			return;
		}
		this.received.increment();
		String payload = new String(message.getBody(), StandardCharsets.UTF_8);
		if (TERMINATE.equals(header(properties, KIND))) {
			BiConsumer<String, String> terminator = this.userTerminator;
			if (terminator != null) {
				terminator.accept(channel, payload);
			}
			return;
		}
		try {
			this.local.publish(new Event(channel, name, payload, header(properties, EXCEPT), header(properties, USER)));
		}
		catch (IllegalStateException ex) {
			// Closed meanwhile.
		}
	}

	private static @Nullable String header(MessageProperties properties, String name) {
		Object value = properties.getHeader(name);
		return (value != null) ? value.toString() : null;
	}

	private record InterestChange(String channel, int delta) {
	}

	private record Outgoing(String channel, Message message) {
	}

	/** Tracks the factory's shared connection; redeclares after every new one. */
	private final class Listener implements ConnectionListener {

		private final AtomicBoolean first = new AtomicBoolean(true);

		@Override
		public void onCreate(Connection connection) {
			RabbitBroadcaster.this.connected = true;
			if (!this.first.getAndSet(false)) {
				RabbitBroadcaster.this.reconnects.increment();
			}
			try {
				RabbitBroadcaster.this.bindThread.execute(RabbitBroadcaster.this::declareAll);
			}
			catch (RejectedExecutionException ex) {
				// Closed.
			}
		}

		@Override
		public void onClose(Connection connection) {
			RabbitBroadcaster.this.connected = false;
		}

		@Override
		public void onShutDown(ShutdownSignalException signal) {
			RabbitBroadcaster.this.connected = false;
			recordError(signal);
		}

		@Override
		public void onFailed(Exception exception) {
			RabbitBroadcaster.this.connected = false;
			recordError(exception);
		}

	}

}
