package dev.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelNames;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.broadcast.Subscription;
import dev.realtime.internal.BoundedMpscQueue;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.internal.SerialDrainer;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
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
 * again. {@link #subscribe(String, Consumer)} also holds its channel in Redis;
 * {@link #subscribeAll(Consumer)} receives every event that reaches this node.
 */
public final class RedisBroadcaster implements Broadcaster, ChannelListener {

	private static final Log logger = LogFactory.getLog(RedisBroadcaster.class);

	private static final int SUBSCRIBE_CHUNK = 1024;

	private final RedisConnections connections;

	private final RedisClusterConfig config;

	private final String nodeId;

	private final String channelPrefix;

	private final byte[] channelPrefixBytes;

	private final MemoryBroadcaster local;

	private final BoundedMpscQueue<byte[][]> outbound;

	private final ExecutorService publishThread;

	private final SerialDrainer publishDrainer;

	private final ExecutorService subscribeThread;

	private final SerialDrainer subscribeDrainer;

	private final ConcurrentLinkedQueue<InterestChange> interestChanges = new ConcurrentLinkedQueue<>();

	/** Channel to how many holders want it; touched only by the subscribe thread. */
	private final Map<String, Integer> interest = new HashMap<>();

	/** Channels whose SUBSCRIBE was acknowledged, and waiters for the others. */
	private final ConcurrentHashMap<String, CompletableFuture<Void>> subscribed = new ConcurrentHashMap<>();

	private final ArrayList<byte[][]> batch;

	/** Channels whose incoming events are held back (see {@link #hold}). */
	private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder remoteDropped = new LongAdder();

	private final LongAdder published = new LongAdder();

	private final LongAdder batches = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder malformed = new LongAdder();

	private volatile @Nullable Consumer<String> userTerminator;

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
		this.channelPrefix = this.config.keyPrefix() + ":channel:";
		this.channelPrefixBytes = this.channelPrefix.getBytes(StandardCharsets.UTF_8);
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
		ensureOpen();
		String channel = ChannelNames.serverToUser(userId);
		Consumer<String> terminator = this.userTerminator;
		if (terminator != null) {
			terminator.accept(userId);
		}
		enqueue(channel, new Envelope(Envelope.TERMINATE, this.nodeId, new Event(channel, "terminate", userId)));
	}

	/**
	 * Set what closes a user's connections on this node when any node asks for it, for
	 * example {@code userId -> hub.disconnectUser(userId, CloseReason.TERMINATED)}.
	 * @param terminator called on a broadcaster thread; must not block
	 */
	public void setUserTerminator(Consumer<String> terminator) {
		this.userTerminator = terminator;
	}

	@Override
	public Subscription subscribe(String channel, Consumer<Event> handler) {
		ensureOpen();
		Subscription subscription = this.local.subscribe(channel, handler);
		acquire(channel);
		AtomicBoolean cancelled = new AtomicBoolean();
		return new Subscription() {

			@Override
			public void cancel() {
				if (cancelled.compareAndSet(false, true)) {
					subscription.cancel();
					release(channel);
				}
			}

			@Override
			public long dropped() {
				return subscription.dropped();
			}

		};
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
	 * @return completes when Redis confirmed the subscription (at once if it already had)
	 */
	public CompletableFuture<Void> acquire(String channel) {
		CompletableFuture<Void> confirmed = this.subscribed.computeIfAbsent(channel,
				(key) -> new CompletableFuture<>());
		this.interestChanges.add(new InterestChange(channel, 1));
		this.subscribeDrainer.signal();
		return confirmed;
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
	 * Hold back the events arriving from Redis for a channel until as many
	 * {@link #resume} calls: they are kept, in order, and delivered on resume. Lets a
	 * presence join read the roster and make the newcomer a subscriber without an
	 * announcement slipping between the two. Never blocks.
	 * @param channel the channel
	 */
	public void hold(String channel) {
		this.gates.compute(channel, (key, gate) -> {
			Gate held = (gate != null) ? gate : new Gate();
			held.holders++;
			return held;
		});
	}

	/**
	 * Give up one {@link #hold}; the last one delivers what was held back.
	 * @param channel the channel
	 */
	public void resume(String channel) {
		this.gates.computeIfPresent(channel, (key, gate) -> {
			if (--gate.holders > 0) {
				return gate;
			}
			gate.open(this.local);
			return null;
		});
	}

	/**
	 * The channels Redis confirmed this node's subscription to; a snapshot, for diagnostics.
	 * @return the channel names
	 */
	public List<String> subscribedChannels() {
		List<String> channels = new ArrayList<>();
		this.subscribed.forEach((channel, future) -> {
			if (future.isDone() && !future.isCompletedExceptionally()) {
				channels.add(channel);
			}
		});
		return channels;
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
				this.malformed.sum(), this.outbound.size());
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
		byte[] key = new byte[this.channelPrefixBytes.length + name.length];
		System.arraycopy(this.channelPrefixBytes, 0, key, 0, this.channelPrefixBytes.length);
		System.arraycopy(name, 0, key, this.channelPrefixBytes.length, name.length);
		return key;
	}

	// The publish thread

	private void drainOutbound() {
		while (this.outbound.drain(this.batch::add, this.config.publishBatchSize()) > 0) {
			StatefulRedisConnection<byte[], byte[]> connection = this.connections.publisher();
			if (connection == null || !connection.isOpen()) {
				this.remoteDropped.add(this.batch.size());
				this.batch.clear();
				continue;
			}
			// Bound what is in flight: one batch on the wire while the next is prepared.
			awaitLastPublish();
			RedisAsyncCommands<byte[], byte[]> commands = connection.async();
			RedisFuture<Long> last = null;
			for (byte[][] message : this.batch) {
				last = commands.publish(message[0], message[1]);
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
		for (String channel : toUnsubscribe) {
			// A later acquire must wait for a new SUBSCRIBE.
			this.subscribed.remove(channel);
		}
		sendSubscriptions(toSubscribe, true);
		sendSubscriptions(toUnsubscribe, false);
	}

	private void resubscribeAll() {
		this.subscribeThread.execute(() -> sendSubscriptions(new ArrayList<>(this.interest.keySet()), true));
	}

	private void sendSubscriptions(List<String> channels, boolean subscribe) {
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.connections.pubSub();
		for (int from = 0; from < channels.size(); from += SUBSCRIBE_CHUNK) {
			List<String> chunk = channels.subList(from, Math.min(channels.size(), from + SUBSCRIBE_CHUNK));
			byte[][] names = chunk.stream().map(this::redisChannel).toArray(byte[][]::new);
			if (connection == null || !connection.isOpen()) {
				// Subscribed again by resubscribeAll once connected.
				continue;
			}
			if (!subscribe) {
				connection.async().unsubscribe(names);
				continue;
			}
			List<String> confirmedChannels = List.copyOf(chunk);
			connection.async().subscribe(names).whenComplete((ignored, failure) -> {
				if (failure != null) {
					this.connections.recordError(failure);
					return;
				}
				for (String channel : confirmedChannels) {
					this.subscribed.computeIfAbsent(channel, (key) -> new CompletableFuture<>()).complete(null);
				}
			});
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The broadcaster is closed");
		}
	}

	private record InterestChange(String channel, int delta) {
	}

	/** Events of one held channel; holders counted under the gates map's bin lock. */
	private static final class Gate {

		private static final int MAX_KEPT = 10_000;

		private final List<Event> kept = new ArrayList<>();

		private int holders;

		private boolean open;

		/** Keep an event unless the gate opened meanwhile; false means deliver it now. */
		synchronized boolean keep(Event event) {
			if (this.open) {
				return false;
			}
			if (this.kept.size() < MAX_KEPT) {
				this.kept.add(event);
			}
			return true;
		}

		synchronized void open(MemoryBroadcaster local) {
			this.open = true;
			for (Event event : this.kept) {
				try {
					local.publish(event);
				}
				catch (IllegalStateException ex) {
					return;
				}
			}
			this.kept.clear();
		}

	}

	/** Runs on Lettuce's I/O thread: decode and hand over, never block. */
	private final class Receiver extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] redisChannel, byte[] message) {
			if (RedisBroadcaster.this.closed.get()) {
				return;
			}
			String channel = new String(redisChannel, RedisBroadcaster.this.channelPrefixBytes.length,
					redisChannel.length - RedisBroadcaster.this.channelPrefixBytes.length, StandardCharsets.UTF_8);
			Envelope envelope;
			try {
				envelope = Envelope.decode(channel, message);
			}
			catch (RuntimeException ex) {
				RedisBroadcaster.this.malformed.increment();
				logger.warn("Skipped a malformed message on Redis channel " + RedisBroadcaster.this.channelPrefix
						+ channel + ": " + ex.getMessage());
				return;
			}
			if (RedisBroadcaster.this.nodeId.equals(envelope.origin())) {
				return;
			}
			RedisBroadcaster.this.received.increment();
			if (envelope.kind() == Envelope.TERMINATE) {
				Consumer<String> terminator = RedisBroadcaster.this.userTerminator;
				if (terminator != null) {
					terminator.accept(envelope.event().payload());
				}
				return;
			}
			Gate gate = RedisBroadcaster.this.gates.get(channel);
			if (gate != null && gate.keep(envelope.event())) {
				return;
			}
			try {
				RedisBroadcaster.this.local.publish(envelope.event());
			}
			catch (IllegalStateException ex) {
				// Closed meanwhile.
			}
		}

	}

}
