package dev.realtime.nats;

import java.time.Duration;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelNames;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.broadcast.Subscription;
import dev.realtime.internal.BoundedMpscQueue;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.internal.EventHolds;
import dev.realtime.internal.SerialDrainer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * A broadcaster for many nodes sharing one NATS: an event published on any node reaches
 * the subscribers of every node, once, in publish order per publisher.
 * <p>
 * Events published here are delivered to this node's subscriptions directly (through a
 * {@link MemoryBroadcaster}) and queued for NATS; a single thread drains the queue into
 * core NATS publishes on the channel's subject, so {@link #publish} never blocks and a
 * full queue or an unreachable NATS only costs the other nodes the event (counted in
 * {@link #remoteDropped()}). Messages coming back with this node's id are skipped, so each
 * subscription sees each event exactly once.
 * <p>
 * The node subscribes only to the subjects of the channels its clients hold: register
 * this broadcaster as the hub's {@link ChannelListener}. Changes are applied in order by
 * one thread; all subjects share one jnats {@link Dispatcher}, whose single thread hands
 * messages on in the order NATS delivered them. The client subscribes again by itself
 * after a reconnect.
 */
public final class NatsBroadcaster implements Broadcaster, ChannelListener {

	private static final System.Logger logger = System.getLogger(NatsBroadcaster.class.getName());

	private static final int PUBLISH_BATCH = 512;

	/** Most events held back for one channel (see {@link #hold}); beyond, the oldest go early. */
	static final int MAX_HELD_EVENTS = 10_000;

	private final NatsConnection connection;

	private final String nodeId;

	private final Subjects subjects;

	private final MemoryBroadcaster local;

	private final BoundedMpscQueue<Outgoing> outbound;

	private final ExecutorService publishThread;

	private final SerialDrainer publishDrainer;

	private final ExecutorService subscribeThread;

	private final SerialDrainer subscribeDrainer;

	private final ConcurrentLinkedQueue<InterestChange> interestChanges = new ConcurrentLinkedQueue<>();

	/** Channel to how many holders want it; touched only by the subscribe thread. */
	private final Map<String, Integer> interest = new HashMap<>();

	/** Channels whose SUB the server has seen, and waiters for the others. */
	private final ConcurrentHashMap<String, CompletableFuture<Void>> subscribed = new ConcurrentHashMap<>();

	/** Incoming events held back for presence joins (see {@link #hold}). */
	private final EventHolds holds = new EventHolds(this::deliverLocally, MAX_HELD_EVENTS,
			this::holdOverflowed);

	/** Presence channel to user to the newest roster revision announced here. */
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, Long>> presenceRevisions = new ConcurrentHashMap<>();

	private final ArrayList<Outgoing> batch = new ArrayList<>(PUBLISH_BATCH);

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder remoteDropped = new LongAdder();

	private final LongAdder published = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder malformed = new LongAdder();

	private final LongAdder staleAnnouncements = new LongAdder();

	private final LongAdder holdOverflows = new LongAdder();

	private volatile @Nullable BiConsumer<String, String> userTerminator;

	private @Nullable Dispatcher dispatcher;

	/**
	 * A broadcaster over the given connection (create it before the connection is
	 * started).
	 * @param connection the node's NATS connection
	 * @param executor runs the subscribers' handlers (see {@link MemoryBroadcaster}), or
	 * {@code null} for the broadcaster's own threads
	 */
	public NatsBroadcaster(NatsConnection connection, @Nullable Executor executor) {
		this.connection = connection;
		NatsEngineConfig config = connection.config();
		this.nodeId = config.nodeId();
		this.subjects = new Subjects(config.prefix());
		this.local = new MemoryBroadcaster(config.bufferSize(), executor);
		this.outbound = new BoundedMpscQueue<>(config.publishQueueCapacity());
		this.publishThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-nats-publish"));
		this.publishDrainer = new SerialDrainer(this.publishThread, this::drainOutbound, 64);
		this.subscribeThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-nats-subscribe"));
		this.subscribeDrainer = new SerialDrainer(this.subscribeThread, this::applyInterestChanges, 4);
		connection.onConnected(() -> this.subscribeThread.execute(this::connected));
	}

	@Override
	public void publish(Event event) {
		Objects.requireNonNull(event, "event");
		ensureOpen();
		this.local.publish(event);
		enqueue(new NatsMessage(NatsMessage.EVENT, this.nodeId, event, null, 0));
	}

	/**
	 * Announce a presence change made at a roster revision: to this node's subscribers
	 * and the other nodes'. A node drops an announcement for a user older than one it has
	 * already delivered, so announcements made on different nodes in quick succession
	 * cannot leave a roster in the wrong state.
	 * @param event the {@code pusher_internal:member_*} event
	 * @param user the user who joined or left
	 * @param revision the roster revision the change produced
	 */
	void announce(Event event, String user, long revision) {
		NatsMessage message = new NatsMessage(NatsMessage.PRESENCE, this.nodeId, event, user, revision);
		if (this.closed.get()) {
			// Shutting down: the hub's connections leave after the broadcaster closed, and the
			// other nodes must still hear of it. Nobody here listens any more.
			publishNow(message);
			return;
		}
		if (isCurrent(event.channel(), user, revision)) {
			this.local.publish(event);
		}
		enqueue(message);
	}

	private void publishNow(NatsMessage message) {
		Connection open = this.connection.connection();
		if (open == null || open.getStatus() != Connection.Status.CONNECTED) {
			this.remoteDropped.increment();
			return;
		}
		try {
			open.publish(this.subjects.channel(message.event().channel()), message.encode());
			this.published.increment();
		}
		catch (IllegalStateException ex) {
			this.remoteDropped.increment();
		}
	}

	/**
	 * Close every connection of a user, on whichever nodes they are: this node's at once,
	 * the others' through NATS. The nodes must have a user terminator set.
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
		enqueue(new NatsMessage(NatsMessage.TERMINATE, this.nodeId, new Event(userChannel, "terminate", userId), null,
				0));
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it.
	 * @param terminator called on a broadcaster thread; must not block
	 */
	public void setUserTerminator(Consumer<String> terminator) {
		this.userTerminator = (channel, userId) -> terminator.accept(userId);
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it, told
	 * the user's channel too (which names the app when several apps share the broadcaster).
	 * @param terminator called on a broadcaster thread with the user's channel and id;
	 * must not block
	 */
	public void setUserTerminator(BiConsumer<String, String> terminator) {
		this.userTerminator = terminator;
	}

	@Override
	public Subscription subscribe(String channel, Consumer<Event> handler) {
		ensureOpen();
		Subscription subscription = this.local.subscribe(channel, handler);
		acquire(channel);
		return Subscription.thenOnCancel(subscription, () -> release(channel));
	}

	@Override
	public Subscription subscribeAll(Consumer<Event> handler) {
		ensureOpen();
		return this.local.subscribeAll(handler);
	}

	@Override
	public void occupied(String channel) {
		acquire(channel);
	}

	@Override
	public void vacated(String channel) {
		release(channel);
	}

	/**
	 * Hold a channel's subject: this node receives its events until as many
	 * {@link #release} calls. Never blocks.
	 * @param channel the channel
	 * @return completes when the server has the subscription (at once if it already had)
	 */
	public CompletableFuture<Void> acquire(String channel) {
		CompletableFuture<Void> confirmed = this.subscribed.computeIfAbsent(channel,
				(key) -> new CompletableFuture<>());
		this.interestChanges.add(new InterestChange(channel, 1));
		this.subscribeDrainer.signal();
		return confirmed;
	}

	/**
	 * The hub holds a new subscriber's confirmation until the server has this node's
	 * subscription to the channel, so an event published elsewhere right after it reaches
	 * the subscriber; at most the request timeout.
	 */
	@Override
	public CompletionStage<?> whenLive(String channel) {
		CompletableFuture<Void> confirmed = this.subscribed.computeIfAbsent(channel,
				(key) -> new CompletableFuture<>());
		return confirmed.copy()
			.completeOnTimeout(null, this.connection.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Give up one hold on a channel (see {@link #acquire}). Never blocks.
	 * @param channel the channel
	 */
	public void release(String channel) {
		this.interestChanges.add(new InterestChange(channel, -1));
		this.subscribeDrainer.signal();
	}

	/**
	 * Hold back the events arriving from NATS for a channel until the hold is released:
	 * they are kept, in order, and delivered once every hold taken before they arrived is
	 * released, so joins that keep overlapping never keep a channel shut (see
	 * {@link EventHolds}). Never blocks.
	 * @param channel the channel
	 * @return the hold, to release exactly once (later calls do nothing)
	 */
	public EventHolds.Hold hold(String channel) {
		return this.holds.hold(channel);
	}

	@Override
	public long dropped() {
		return this.local.dropped() + this.remoteDropped.sum();
	}

	/**
	 * Events that could not be sent to the other nodes (queue full, NATS unreachable).
	 * @return the count
	 */
	public long remoteDropped() {
		return this.remoteDropped.sum();
	}

	/**
	 * The broadcaster's health, for a health indicator.
	 * @return a snapshot
	 */
	public NatsBroadcasterHealth health() {
		return new NatsBroadcasterHealth(this.connection.isUp(), this.connection.lastError(),
				this.connection.reconnects(), this.published.sum(), this.received.sum(), this.remoteDropped.sum(),
				this.malformed.sum(), this.outbound.size());
	}

	/**
	 * Presence announcements dropped because a newer one for the same user had already
	 * been delivered here.
	 * @return the count
	 */
	public long staleAnnouncements() {
		return this.staleAnnouncements.sum();
	}

	/**
	 * Events delivered past a presence join early because too many were held for one
	 * channel (the joining client may have missed them).
	 * @return the count
	 */
	public long holdOverflows() {
		return this.holdOverflows.sum();
	}

	private void holdOverflowed() {
		this.holdOverflows.increment();
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
		this.subscribeThread.shutdownNow();
		this.local.close();
	}

	private void enqueue(NatsMessage message) {
		Outgoing entry = new Outgoing(this.subjects.channel(message.event().channel()), message.encode());
		if (this.outbound.offer(entry)) {
			this.publishDrainer.signal();
		}
		else {
			this.remoteDropped.increment();
		}
	}

	private boolean isCurrent(String channel, @Nullable String user, long revision) {
		if (user == null) {
			return true;
		}
		boolean[] current = { false };
		this.presenceRevisions.computeIfAbsent(channel, (key) -> new ConcurrentHashMap<>())
			.compute(user, (key, last) -> {
				if (last != null && last >= revision) {
					return last;
				}
				current[0] = true;
				return revision;
			});
		if (!current[0]) {
			this.staleAnnouncements.increment();
		}
		return current[0];
	}

	private void deliverLocally(Event event) {
		try {
			this.local.publish(event);
		}
		catch (IllegalStateException ex) {
			// Closed meanwhile.
		}
	}

	// The publish thread

	private void drainOutbound() {
		while (this.outbound.drain(this.batch::add, PUBLISH_BATCH) > 0) {
			Connection open = this.connection.connection();
			if (open == null || open.getStatus() != Connection.Status.CONNECTED) {
				this.remoteDropped.add(this.batch.size());
				this.batch.clear();
				continue;
			}
			for (Outgoing message : this.batch) {
				try {
					open.publish(message.subject(), message.body());
					this.published.increment();
				}
				catch (IllegalStateException ex) {
					// Disconnected meanwhile (no reconnect buffer) or closed.
					this.remoteDropped.increment();
					this.connection.recordError(ex);
				}
			}
			this.batch.clear();
		}
	}

	// The subscribe thread

	private void connected() {
		Connection open = this.connection.connection();
		if (open == null) {
			return;
		}
		if (this.dispatcher == null) {
			this.dispatcher = open.createDispatcher(this::receive);
			// Everything held before the first connect.
			for (String channel : this.interest.keySet()) {
				this.dispatcher.subscribe(this.subjects.channel(channel));
			}
		}
		confirm(new ArrayList<>(this.interest.keySet()), open);
	}

	private void applyInterestChanges() {
		List<String> toSubscribe = new ArrayList<>();
		List<String> toUnsubscribe = new ArrayList<>();
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
			if (before <= 0 && after > 0) {
				if (!toUnsubscribe.remove(change.channel())) {
					toSubscribe.add(change.channel());
				}
			}
			else if (before > 0 && after <= 0) {
				if (!toSubscribe.remove(change.channel())) {
					toUnsubscribe.add(change.channel());
				}
			}
		}
		Dispatcher subjects = this.dispatcher;
		for (String channel : toUnsubscribe) {
			this.subscribed.remove(channel);
			this.presenceRevisions.remove(channel);
			if (subjects != null) {
				subjects.unsubscribe(this.subjects.channel(channel));
			}
		}
		if (subjects == null || toSubscribe.isEmpty()) {
			// Subscribed by connected() once there is a connection.
			return;
		}
		for (String channel : toSubscribe) {
			subjects.subscribe(this.subjects.channel(channel));
		}
		Connection open = this.connection.connection();
		if (open != null) {
			confirm(toSubscribe, open);
		}
	}

	/** A flush returns once the server processed everything sent before it, SUBs included. */
	private void confirm(List<String> channels, Connection open) {
		if (channels.isEmpty() || open.getStatus() != Connection.Status.CONNECTED) {
			return;
		}
		try {
			open.flush(Duration.ofMillis(this.connection.config().requestTimeout().toMillis()));
			for (String channel : channels) {
				this.subscribed.computeIfAbsent(channel, (key) -> new CompletableFuture<>()).complete(null);
			}
		}
		catch (TimeoutException | RuntimeException ex) {
			this.connection.recordError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The broadcaster is closed");
		}
	}

	/** Runs on the dispatcher's thread: decode and hand over, never block. */
	private void receive(Message message) {
		if (this.closed.get()) {
			return;
		}
		NatsMessage decoded;
		try {
			decoded = NatsMessage.decode(message.getData());
		}
		catch (RuntimeException ex) {
			this.malformed.increment();
			logger.log(System.Logger.Level.WARNING,
					"Skipped a malformed message on NATS subject " + message.getSubject() + ": " + ex.getMessage());
			return;
		}
		if (this.nodeId.equals(decoded.origin())) {
			return;
		}
		this.received.increment();
		Event event = decoded.event();
		if (decoded.kind() == NatsMessage.TERMINATE) {
			BiConsumer<String, String> terminator = this.userTerminator;
			if (terminator != null) {
				terminator.accept(event.channel(), event.payload());
			}
			return;
		}
		if (decoded.kind() == NatsMessage.PRESENCE && !isCurrent(event.channel(), decoded.member(), decoded.revision())) {
			return;
		}
		this.holds.offer(event);
	}

	private record InterestChange(String channel, int delta) {
	}

	private record Outgoing(String subject, byte[] body) {
	}

}
