package dev.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A broadcaster for many nodes sharing one Redis: an event published on any node reaches
 * the subscribers of every node, once, in publish order per publisher.
 * <p>
 * Events published here are delivered to this node's subscriptions directly (through a
 * {@link MemoryBroadcaster}) and queued for Redis; a single thread drains the queue and
 * writes the PUBLISH commands in pipelined batches, so {@link #publish} never blocks and a
 * full queue or an unreachable Redis only costs the other nodes the event (counted in
 * {@link #remoteDropped()}). Messages coming back from Redis with this node's id are
 * skipped, so each subscription sees each event exactly once.
 * <p>
 * The node subscribes in Redis only to the channels its clients hold: register this
 * broadcaster as the hub's {@link ChannelListener} ({@code hub.onChannelLifecycle}).
 * Subscription changes are applied in order by one thread and batched into few
 * SUBSCRIBE / UNSUBSCRIBE commands; after a reconnect every held channel is subscribed
 * again. On a Redis Cluster the same goes over sharded pub/sub (SPUBLISH, one SSUBSCRIBE
 * per channel), and only the slot's primary is listened to. {@link #subscribe(String, Consumer)} also holds its channel in Redis;
 * {@link #subscribeAll(Consumer)} receives every event that reaches this node.
 */
public final class RedisBroadcaster implements Broadcaster, ChannelListener {

	private static final Log logger = LogFactory.getLog(RedisBroadcaster.class);

	private static final int SUBSCRIBE_CHUNK = 1024;

	/** Most events held back for one channel (see {@link #hold}); beyond, the oldest go early. */
	static final int MAX_HELD_EVENTS = 10_000;

	private static final long OVERFLOW_LOG_INTERVAL = TimeUnit.MINUTES.toNanos(1);

	/** The names of presence announcements ({@code member_added}, {@code member_removed}). */
	private static final String MEMBER_EVENTS = "pusher_internal:member_";

	private final RedisConnections connections;

	private final RedisClusterConfig config;

	private final String nodeId;

	private final RedisKeys keys;

	/** What comes before a channel's name in its pub/sub channel; a closing brace follows it. */
	private final byte[] channelPrefixBytes;

	private final MemoryBroadcaster local;

	private final BoundedMpscQueue<byte[][]> outbound;

	private final ExecutorService publishThread;

	private final SerialDrainer publishDrainer;

	private final ExecutorService subscribeThread;

	private final SerialDrainer subscribeDrainer;

	private final ConcurrentLinkedQueue<InterestChange> interestChanges = new ConcurrentLinkedQueue<>();

	/**
	 * Channel to its holders, subscription state and waiters; touched only by the subscribe
	 * thread, so no caller can see (or keep) a state that a later change made stale.
	 */
	private final Map<String, Interest> interest = new HashMap<>();

	/** Channels whose current SUBSCRIBE Redis acknowledged; written by the subscribe thread. */
	private final Set<String> live = ConcurrentHashMap.newKeySet();

	/** Numbers each SUBSCRIBE sent, so an acknowledgement of an older one is not taken for it. */
	private long subscribeGeneration;

	/**
	 * Channel to the generations of its SUBSCRIBEs Redis has not acknowledged yet, oldest
	 * first; outlives the channel's state so a late acknowledgement of a subscription given
	 * up since is matched to it. Subscribe thread only.
	 */
	private final Map<String, ArrayDeque<Long>> inFlight = new HashMap<>();

	private final ArrayList<byte[][]> batch;

	/** Channels whose incoming events are held back (see {@link #hold}). */
	private final EventHolds holds = new EventHolds(this::deliver, MAX_HELD_EVENTS, this::overflowed);

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable Gaps gaps;

	private final LongAdder remoteDropped = new LongAdder();

	private final LongAdder published = new LongAdder();

	private final LongAdder batches = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder malformed = new LongAdder();

	private final LongAdder holdOverflows = new LongAdder();

	/** When a hold overflow was last logged (nanos), so a flood logs once a minute. */
	private final AtomicLong overflowLogged = new AtomicLong(System.nanoTime() - OVERFLOW_LOG_INTERVAL);

	private volatile @Nullable BiConsumer<String, String> userTerminator;

	private @Nullable RedisFuture<Long> lastPublish;

	/**
	 * A broadcaster over the given connections (register it before they are started), with
	 * its own threads for the subscribers' handlers.
	 * @param connections the node's Redis connections
	 */
	public RedisBroadcaster(RedisConnections connections) {
		this(connections, null);
	}

	/**
	 * A broadcaster over the given connections (register it before they are started).
	 * @param connections the node's Redis connections
	 * @param executor runs the subscribers' handlers (see {@link MemoryBroadcaster}), or
	 * {@code null} for the broadcaster's own threads
	 */
	public RedisBroadcaster(RedisConnections connections, @Nullable Executor executor) {
		this.connections = connections;
		this.config = connections.config();
		this.nodeId = this.config.nodeId();
		this.keys = new RedisKeys(this.config.keyPrefix());
		this.channelPrefixBytes = this.keys.channelPrefix().getBytes(StandardCharsets.UTF_8);
		this.local = new MemoryBroadcaster(this.config.bufferSize(), executor);
		this.outbound = new BoundedMpscQueue<>(this.config.publishQueueCapacity());
		this.batch = new ArrayList<>(this.config.publishBatchSize());
		this.publishThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-redis-publish"));
		this.publishDrainer = new SerialDrainer(this.publishThread, this::drainOutbound, 64);
		this.subscribeThread = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-redis-subscribe"));
		this.subscribeDrainer = new SerialDrainer(this.subscribeThread, this::applyInterestChanges, 4);
		connections.addPubSubListener(new Receiver());
		connections.onConnected(this::resubscribeAll);
	}

	@Override
	public void publish(Event event) {
		Objects.requireNonNull(event, "event");
		ensureOpen();
		this.local.publish(event);
		enqueue(event.channel(), new Envelope(Envelope.EVENT, this.nodeId, event));
	}

	/**
	 * Close every connection of a user, on whichever nodes they are: this node's at once,
	 * the others' through Redis. The nodes must have a user terminator set.
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
		enqueue(userChannel,
				new Envelope(Envelope.TERMINATE, this.nodeId, new Event(userChannel, "terminate", userId)));
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it, for
	 * example {@code userId -> hub.disconnectUser(userId, CloseReason.TERMINATED)}.
	 * @param terminator called on a broadcaster thread with the user id; must not block
	 */
	public void setUserTerminator(Consumer<String> terminator) {
		this.userTerminator = (channel, userId) -> terminator.accept(userId);
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it, told
	 * the user's channel too (which names the app when several apps share the broadcaster).
	 * @param terminator called on a broadcaster thread with the user's channel and id; must
	 * not block
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
	 * Hold a channel in Redis: this node receives its events until as many
	 * {@link #release} calls. Never blocks.
	 * @param channel the channel
	 * @return completes when Redis acknowledged a SUBSCRIBE sent after this call (at once if
	 * the subscription is already live, or when the node is not connected to Redis)
	 */
	public CompletableFuture<Void> acquire(String channel) {
		CompletableFuture<Void> subscribed = new CompletableFuture<>();
		change(new InterestChange(ChangeKind.ACQUIRE, channel, subscribed, 0));
		return subscribed;
	}

	/**
	 * Give up one hold on a channel (see {@link #acquire}). Never blocks.
	 * @param channel the channel
	 */
	public void release(String channel) {
		change(new InterestChange(ChangeKind.RELEASE, channel, null, 0));
	}

	/**
	 * Completes when this node receives the channel's events from every node: Redis
	 * acknowledged this node's subscription, so an event published anywhere from then on
	 * reaches it. The hub holds a new subscriber's confirmation until then. Never blocks;
	 * completes after the {@linkplain RedisClusterConfig#commandTimeout() command timeout}
	 * at the latest, and at once when the node is not connected to Redis.
	 * @param channel a channel a local client has just joined
	 * @return the stage
	 */
	@Override
	public CompletionStage<?> whenLive(String channel) {
		CompletableFuture<Void> live = new CompletableFuture<>();
		change(new InterestChange(ChangeKind.AWAIT, channel, live, 0));
		// The confirmation must go out even if Redis never answers.
		return live.completeOnTimeout(null, this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	private void change(InterestChange change) {
		this.interestChanges.add(change);
		this.subscribeDrainer.signal();
	}

	/**
	 * Hold back the events arriving from Redis for a channel until the hold is released:
	 * they are kept, in order, and delivered once every hold taken before they arrived is
	 * released. Lets a presence join read the roster and make the newcomer a subscriber
	 * without an announcement slipping between the two; an event that arrived before the
	 * join began is in its roster already and waits only for earlier joins, so joins that
	 * keep overlapping never keep a channel shut. At most {@value #MAX_HELD_EVENTS} events
	 * are kept per channel: beyond, the oldest is delivered at once and counted in
	 * {@link #holdOverflows()}. Never blocks.
	 * @param channel the channel
	 * @return the hold, to release exactly once (later calls do nothing)
	 */
	public EventHolds.Hold hold(String channel) {
		return this.holds.hold(channel);
	}

	/**
	 * Be told about the channels' gaps: see {@link Gaps}. One listener; set it before the
	 * connections start.
	 */
	void setGaps(Gaps gaps) {
		this.gaps = gaps;
	}

	/** Deliver an event to this node's subscribers only, as if it had come from Redis now. */
	void deliverLocally(Event event) {
		deliver(event);
	}

	/**
	 * Events let past a presence join's hold because {@value #MAX_HELD_EVENTS} were held for
	 * the channel: delivered at once, so the joining connection may have missed them.
	 * @return the count
	 */
	public long holdOverflows() {
		return this.holdOverflows.sum();
	}

	/**
	 * The channels Redis confirmed this node's subscription to; a snapshot, for diagnostics.
	 * @return the channel names
	 */
	public List<String> subscribedChannels() {
		return new ArrayList<>(this.live);
	}

	/** How many channels the subscribe thread keeps state for; for tests. */
	int trackedChannels() {
		return CompletableFuture.supplyAsync(this.interest::size, this.subscribeThread).join();
	}

	@Override
	public long dropped() {
		return this.local.dropped() + this.remoteDropped.sum();
	}

	/**
	 * Events that could not be sent to the other nodes (queue full, Redis unreachable, or a
	 * PUBLISH that failed).
	 * @return the count
	 */
	public long remoteDropped() {
		return this.remoteDropped.sum();
	}

	/**
	 * Messages from Redis that were not understood and were skipped.
	 * @return the count
	 */
	public long malformed() {
		return this.malformed.sum();
	}

	/**
	 * The broadcaster's health, for a health indicator.
	 * @return a snapshot
	 */
	public RedisBroadcasterHealth health() {
		return new RedisBroadcasterHealth(this.connections.isUp(), this.connections.lastError(),
				this.connections.reconnects(), this.published.sum(), this.batches.sum(), this.received.sum(),
				this.remoteDropped.sum(),
				this.malformed.sum(), this.outbound.size(), holdOverflows());
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		// Let queued events go out (bounded by the shutdown of the single publish thread).
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

	private void enqueue(String channel, Envelope envelope) {
		byte[][] message = { redisChannel(channel), envelope.encode() };
		if (this.outbound.offer(message)) {
			this.publishDrainer.signal();
		}
		else {
			this.remoteDropped.increment();
		}
	}

	private byte[] redisChannel(String channel) {
		byte[] name = channel.getBytes(StandardCharsets.UTF_8);
		byte[] key = new byte[this.channelPrefixBytes.length + name.length + 1];
		System.arraycopy(this.channelPrefixBytes, 0, key, 0, this.channelPrefixBytes.length);
		System.arraycopy(name, 0, key, this.channelPrefixBytes.length, name.length);
		key[key.length - 1] = '}';
		return key;
	}

	/** The channel a pub/sub channel of ours carries, or {@code null} for another one. */
	private @Nullable String channelOf(byte[] redisChannel) {
		byte[] prefix = this.channelPrefixBytes;
		if (redisChannel.length <= prefix.length || redisChannel[redisChannel.length - 1] != '}'
				|| !Arrays.equals(redisChannel, 0, prefix.length, prefix, 0, prefix.length)) {
			return null;
		}
		return new String(redisChannel, prefix.length, redisChannel.length - prefix.length - 1, StandardCharsets.UTF_8);
	}

	// The publish thread

	private void drainOutbound() {
		while (this.outbound.drain(this.batch::add, this.config.publishBatchSize()) > 0) {
			StatefulConnection<byte[], byte[]> connection = this.connections.publisher();
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.connections.publisherCommands();
			if (connection == null || commands == null || !connection.isOpen()) {
				this.remoteDropped.add(this.batch.size());
				this.batch.clear();
				continue;
			}
			// Bound what is in flight: one batch on the wire while the next is prepared.
			awaitLastPublish();
			boolean sharded = this.connections.isCluster();
			RedisFuture<Long> last = null;
			for (byte[][] message : this.batch) {
				last = sharded ? commands.spublish(message[0], message[1]) : commands.publish(message[0], message[1]);
				last.whenComplete((receivers, failure) -> {
					if (failure != null) {
						this.remoteDropped.increment();
						this.connections.recordError(failure);
					}
				});
			}
			connection.flushCommands();
			this.batches.increment();
			this.published.add(this.batch.size());
			this.lastPublish = last;
			this.batch.clear();
		}
	}

	private void awaitLastPublish() {
		RedisFuture<Long> last = this.lastPublish;
		if (last != null) {
			try {
				last.await(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// Counted by the command's own callback.
			}
			this.lastPublish = null;
		}
	}

	// The subscribe thread

	private void applyInterestChanges() {
		List<String> toSubscribe = new ArrayList<>();
		List<String> toUnsubscribe = new ArrayList<>();
		boolean connected = isConnected();
		InterestChange change;
		while ((change = this.interestChanges.poll()) != null) {
			switch (change.kind()) {
				case ACQUIRE -> acquired(change, toSubscribe, toUnsubscribe, connected);
				case RELEASE -> released(change.channel(), toSubscribe, toUnsubscribe);
				case AWAIT -> awaited(change, connected);
				case CONFIRMED -> acknowledged(change.channel());
				case FAILED -> failed(change.channel(), change.generation());
			}
		}
		Gaps gaps = this.gaps;
		for (String channel : toUnsubscribe) {
			Interest gone = this.interest.remove(channel);
			this.live.remove(channel);
			if (gone != null) {
				gone.completeWaiters();
			}
			if (gaps != null) {
				gaps.released(channel);
			}
		}
		sendSubscriptions(toSubscribe, true);
		sendSubscriptions(toUnsubscribe, false);
	}

	private void acquired(InterestChange change, List<String> toSubscribe, List<String> toUnsubscribe,
			boolean connected) {
		String channel = change.channel();
		Interest state = this.interest.computeIfAbsent(channel, (key) -> new Interest());
		if (state.holders++ == 0 && !toUnsubscribe.remove(channel)) {
			// A new subscription: only its own acknowledgement counts.
			state.generation = ++this.subscribeGeneration;
			state.live = false;
			this.live.remove(channel);
			toSubscribe.add(channel);
		}
		// else still subscribed (an UNSUBSCRIBE of this burst cancelled) or being subscribed.
		wait(state, change, connected);
	}

	private void released(String channel, List<String> toSubscribe, List<String> toUnsubscribe) {
		Interest state = this.interest.get(channel);
		if (state == null || --state.holders > 0) {
			return;
		}
		if (toSubscribe.remove(channel)) {
			// Acquired and released within this burst: Redis never hears of it.
			this.interest.remove(channel);
			state.completeWaiters();
		}
		else {
			toUnsubscribe.add(channel);
		}
	}

	private void awaited(InterestChange change, boolean connected) {
		Interest state = this.interest.get(change.channel());
		if (state == null) {
			// Nobody holds the channel any more: nothing to wait for.
			complete(change.waiter());
			return;
		}
		wait(state, change, connected);
	}

	private void wait(Interest state, InterestChange change, boolean connected) {
		if (state.live || !connected) {
			// Not connected: the subscription is sent on reconnect; do not hold joins meanwhile.
			complete(change.waiter());
		}
		else if (change.waiter() != null) {
			state.waiters.add(change.waiter());
		}
	}

	/** Redis confirmed one SUBSCRIBE of the channel: the oldest one in flight. */
	private void acknowledged(String channel) {
		ArrayDeque<Long> sent = this.inFlight.get(channel);
		Long generation = (sent != null) ? sent.poll() : null;
		if (sent != null && sent.isEmpty()) {
			this.inFlight.remove(channel);
		}
		if (generation != null) {
			confirmed(channel, generation, true);
			return;
		}
		// Lettuce's own re-subscription after a reconnect: nothing of ours in flight, so the
		// channel has not been given up since.
		Interest state = this.interest.get(channel);
		if (state != null) {
			confirmed(channel, state.generation, true);
		}
	}

	private void failed(String channel, long generation) {
		ArrayDeque<Long> sent = this.inFlight.get(channel);
		if (sent != null) {
			sent.remove(generation);
			if (sent.isEmpty()) {
				this.inFlight.remove(channel);
			}
		}
		confirmed(channel, generation, false);
	}

	private void confirmed(String channel, long generation, boolean subscribed) {
		Interest state = this.interest.get(channel);
		if (state == null || state.generation != generation) {
			// Acknowledges a subscription given up since; a newer one is on its way.
			return;
		}
		if (subscribed) {
			state.live = true;
			this.live.add(channel);
			Gaps gaps = this.gaps;
			if (state.missed && gaps != null) {
				gaps.resumed(channel);
			}
			state.missed = false;
		}
		// On failure too: the waiters go on rather than hold their joins until the timeout.
		state.completeWaiters();
	}

	private static void complete(@Nullable CompletableFuture<Void> waiter) {
		if (waiter != null) {
			waiter.complete(null);
		}
	}

	private boolean isConnected() {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connections.pubSub();
		return connection != null && connection.isOpen();
	}

	private void resubscribeAll() {
		this.subscribeThread.execute(() -> {
			// A new connection holds no subscription: joins wait for the new acknowledgements,
			// and what was published meanwhile passed this node by.
			this.interest.values().forEach((state) -> {
				state.live = false;
				state.missed = true;
			});
			this.live.clear();
			this.inFlight.clear();
			sendSubscriptions(new ArrayList<>(this.interest.keySet()), true);
		});
	}

	private void sendSubscriptions(List<String> channels, boolean subscribe) {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connections.pubSub();
		for (int from = 0; from < channels.size(); from += SUBSCRIBE_CHUNK) {
			List<String> chunk = channels.subList(from, Math.min(channels.size(), from + SUBSCRIBE_CHUNK));
			if (connection == null || !connection.isOpen()) {
				// Subscribed again by resubscribeAll once connected; waiters were let go.
				for (String channel : chunk) {
					Interest state = this.interest.get(channel);
					if (state != null) {
						state.completeWaiters();
					}
				}
				continue;
			}
			byte[][] names = chunk.stream().map(this::redisChannel).toArray(byte[][]::new);
			if (!subscribe) {
				unsubscribe(connection, names);
				continue;
			}
			long[] generations = new long[chunk.size()];
			for (int i = 0; i < generations.length; i++) {
				Interest state = this.interest.get(chunk.get(i));
				generations[i] = (state != null) ? state.generation : 0;
				this.inFlight.computeIfAbsent(chunk.get(i), (key) -> new ArrayDeque<>(1)).add(generations[i]);
			}
			List<String> sent = List.copyOf(chunk);
			// Each channel is confirmed by its own "subscribe" message (Receiver.subscribed),
			// not by this future: Lettuce completes it on the first of them, before Redis has
			// taken the channels of a later SUBSCRIBE still in the pipeline.
			subscribe(connection, names).whenComplete((ignored, failure) -> {
				if (failure == null) {
					return;
				}
				this.connections.recordError(failure);
				for (int i = 0; i < generations.length; i++) {
					this.interestChanges.add(new InterestChange(ChangeKind.FAILED, sent.get(i), null, generations[i]));
				}
				this.subscribeDrainer.signal();
			});
		}
	}

	private CompletableFuture<Void> subscribe(StatefulRedisPubSubConnection<byte[], byte[]> connection,
			byte[][] names) {
		if (!this.connections.isCluster()) {
			return connection.async().subscribe(names).toCompletableFuture();
		}
		// One SSUBSCRIBE per channel: Redis takes only channels of one slot in each.
		CompletableFuture<?>[] each = new CompletableFuture<?>[names.length];
		for (int i = 0; i < names.length; i++) {
			each[i] = connection.async().ssubscribe(names[i]).toCompletableFuture();
		}
		return CompletableFuture.allOf(each);
	}

	private void unsubscribe(StatefulRedisPubSubConnection<byte[], byte[]> connection, byte[][] names) {
		if (!this.connections.isCluster()) {
			connection.async().unsubscribe(names);
			return;
		}
		for (byte[] name : names) {
			connection.async().sunsubscribe(name);
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The broadcaster is closed");
		}
	}

	/**
	 * What a presence view needs of the broadcaster: when a channel's subscription is live
	 * again after the connection was lost or the cluster failed over (announcements made
	 * meanwhile passed this node by), when the node stops holding a channel, and each
	 * member announcement as it reaches this node's subscribers. Called on broadcaster
	 * threads: must not block.
	 */
	interface Gaps {

		void resumed(String channel);

		void released(String channel);

		void delivering(Event memberEvent);

	}

	private enum ChangeKind {

		/** A holder wants the channel (and to know when it is subscribed). */
		ACQUIRE,

		/** A holder gave the channel up. */
		RELEASE,

		/** Someone waits for the subscription to be live, without holding it. */
		AWAIT,

		/** Redis confirmed this node's subscription to the channel (one per SUBSCRIBE). */
		CONFIRMED,

		/** The SUBSCRIBE of a generation failed. */
		FAILED

	}

	private record InterestChange(ChangeKind kind, String channel, @Nullable CompletableFuture<Void> waiter,
			long generation) {
	}

	/** A held channel, on the subscribe thread. */
	private static final class Interest {

		private final List<CompletableFuture<Void>> waiters = new ArrayList<>(1);

		private int holders;

		private long generation;

		private boolean live;

		/** Whether the subscription was lost since it was last confirmed (a gap to tell of). */
		private boolean missed;

		void completeWaiters() {
			for (CompletableFuture<Void> waiter : this.waiters) {
				waiter.complete(null);
			}
			this.waiters.clear();
		}

	}

	private void deliver(Event event) {
		Gaps gaps = this.gaps;
		if (gaps != null && event.name().startsWith(MEMBER_EVENTS)) {
			gaps.delivering(event);
		}
		try {
			this.local.publish(event);
		}
		catch (IllegalStateException ex) {
			// Closed meanwhile.
		}
	}

	private void overflowed() {
		this.holdOverflows.increment();
		long now = System.nanoTime();
		long last = this.overflowLogged.get();
		if (now - last >= OVERFLOW_LOG_INTERVAL && this.overflowLogged.compareAndSet(last, now)) {
			logger.warn("More than " + MAX_HELD_EVENTS + " events held back for a presence join on one channel: "
					+ "the oldest were delivered early (" + this.holdOverflows.sum() + " so far)");
		}
	}

	/**
	 * Runs on Lettuce's I/O thread: decode and hand over, never block. Told through the
	 * plain listener on a single Redis, through the cluster one (with the node each message
	 * came from) on a cluster.
	 */
	private final class Receiver extends RedisPubSubAdapter<byte[], byte[]>
			implements RedisClusterPubSubListener<byte[], byte[]> {

		@Override
		public void subscribed(byte[] redisChannel, long count) {
			String channel = channelOf(redisChannel);
			if (channel != null) {
				change(new InterestChange(ChangeKind.CONFIRMED, channel, null, 0));
			}
		}

		@Override
		public void message(byte[] redisChannel, byte[] message) {
			String channel = channelOf(redisChannel);
			if (channel != null && !RedisBroadcaster.this.closed.get()) {
				received(channel, message);
			}
		}

		@Override
		public void ssubscribed(RedisClusterNode node, byte[] redisChannel, long count) {
			// Lettuce subscribes again on every node connection it re-opens, the old
			// primary's too: only the slot owner's confirmation makes the channel live.
			if (RedisBroadcaster.this.connections.fromSlotOwner(node, redisChannel)) {
				subscribed(redisChannel, count);
			}
		}

		@Override
		public void smessage(RedisClusterNode node, byte[] redisChannel, byte[] message) {
			// A replica of the shard delivers the same messages as its primary: take one copy.
			if (RedisBroadcaster.this.connections.fromSlotOwner(node, redisChannel)) {
				message(redisChannel, message);
			}
		}

		@Override
		public void message(RedisClusterNode node, byte[] channel, byte[] message) {
			// Plain pub/sub is not used on a cluster.
		}

		@Override
		public void message(RedisClusterNode node, byte[] pattern, byte[] channel, byte[] message) {
		}

		@Override
		public void subscribed(RedisClusterNode node, byte[] channel, long count) {
		}

		@Override
		public void psubscribed(RedisClusterNode node, byte[] pattern, long count) {
		}

		@Override
		public void unsubscribed(RedisClusterNode node, byte[] channel, long count) {
		}

		@Override
		public void punsubscribed(RedisClusterNode node, byte[] pattern, long count) {
		}

		private void received(String channel, byte[] message) {
			Envelope envelope;
			try {
				envelope = Envelope.decode(channel, message);
			}
			catch (RuntimeException ex) {
				RedisBroadcaster.this.malformed.increment();
				logger.warn("Skipped a malformed message on Redis channel " + RedisBroadcaster.this.keys.channel(channel)
						+ ": " + ex.getMessage());
				return;
			}
			if (RedisBroadcaster.this.nodeId.equals(envelope.origin())) {
				return;
			}
			RedisBroadcaster.this.received.increment();
			if (envelope.kind() == Envelope.TERMINATE) {
				BiConsumer<String, String> terminator = RedisBroadcaster.this.userTerminator;
				if (terminator != null) {
					terminator.accept(envelope.event().channel(), envelope.event().payload());
				}
				return;
			}
			RedisBroadcaster.this.holds.offer(envelope.event());
		}

	}

}
