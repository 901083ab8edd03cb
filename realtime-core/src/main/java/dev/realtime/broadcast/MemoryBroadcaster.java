package dev.realtime.broadcast;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.realtime.internal.BoundedMpscQueue;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.internal.SerialDrainer;
import org.jspecify.annotations.Nullable;

/**
 * A broadcaster for one node: each subscription has a bounded buffer drained by one
 * thread at a time, so publishing never blocks and a slow handler only fills its own
 * buffer (overflow is dropped and counted).
 */
public final class MemoryBroadcaster implements Broadcaster {

	/** Default buffer size per subscription. */
	public static final int DEFAULT_BUFFER_SIZE = 256;

	private final int bufferSize;

	private final Executor executor;

	private final @Nullable ExecutorService ownedExecutor;

	private final ConcurrentHashMap<String, List<MemorySubscription>> byChannel = new ConcurrentHashMap<>();

	private final List<MemorySubscription> all = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder handlerFailures = new LongAdder();

	/** A broadcaster with the default buffer size and its own threads. */
	public MemoryBroadcaster() {
		this(DEFAULT_BUFFER_SIZE, null);
	}

	/**
	 * A broadcaster.
	 * @param bufferSize the buffer size per subscription, at least 1
	 * @param executor runs the handlers; {@code null} for the broadcaster's own threads
	 */
	public MemoryBroadcaster(int bufferSize, @Nullable Executor executor) {
		if (bufferSize < 1) {
			throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
		}
		this.bufferSize = bufferSize;
		if (executor != null) {
			this.executor = executor;
			this.ownedExecutor = null;
		}
		else {
			this.ownedExecutor = DaemonThreads.newBlockingTaskExecutor("realtime-broadcast");
			this.executor = this.ownedExecutor;
		}
	}

	@Override
	public void publish(Event event) {
		Objects.requireNonNull(event, "event");
		ensureOpen();
		List<MemorySubscription> channelSubscriptions = this.byChannel.get(event.channel());
		if (channelSubscriptions != null) {
			for (MemorySubscription subscription : channelSubscriptions) {
				subscription.offer(event);
			}
		}
		for (MemorySubscription subscription : this.all) {
			subscription.offer(event);
		}
	}

	@Override
	public Subscription subscribe(String channel, Consumer<Event> handler) {
		Objects.requireNonNull(channel, "channel");
		ensureOpen();
		MemorySubscription subscription = new MemorySubscription(handler, channel);
		// Added inside the bin's lock: a list emptied by a concurrent cancel is removed from
		// the map in that lock, so adding outside it could land in a list nobody reads.
		this.byChannel.compute(channel, (key, subscriptions) -> {
			List<MemorySubscription> target = (subscriptions != null) ? subscriptions : new CopyOnWriteArrayList<>();
			target.add(subscription);
			return target;
		});
		cancelIfClosed(subscription);
		return subscription;
	}

	@Override
	public Subscription subscribeAll(Consumer<Event> handler) {
		ensureOpen();
		MemorySubscription subscription = new MemorySubscription(handler, null);
		this.all.add(subscription);
		cancelIfClosed(subscription);
		return subscription;
	}

	@Override
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Handler calls that threw.
	 * @return the count
	 */
	public long handlerFailures() {
		return this.handlerFailures.sum();
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		// Take nothing more, but deliver what publish() already accepted: a graceful
		// shutdown waits for the handlers' executor after this and only then closes the hub,
		// so those events still reach the connections.
		for (List<MemorySubscription> subscriptions : this.byChannel.values()) {
			subscriptions.forEach(MemorySubscription::seal);
		}
		this.all.forEach(MemorySubscription::seal);
		this.byChannel.clear();
		this.all.clear();
		if (this.ownedExecutor != null) {
			this.ownedExecutor.shutdown();
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The broadcaster is closed");
		}
	}

	/** A subscribe that raced with {@link #close()} must not outlive it. */
	private void cancelIfClosed(MemorySubscription subscription) {
		if (this.closed.get()) {
			subscription.cancel();
		}
	}

	private void remove(MemorySubscription subscription, @Nullable String channel) {
		if (channel == null) {
			this.all.remove(subscription);
			return;
		}
		this.byChannel.computeIfPresent(channel, (key, subscriptions) -> {
			subscriptions.remove(subscription);
			return subscriptions.isEmpty() ? null : subscriptions;
		});
	}

	private final class MemorySubscription implements Subscription {

		private final Consumer<Event> handler;

		private final @Nullable String channel;

		private final BoundedMpscQueue<Event> buffer;

		private final SerialDrainer drainer;

		private final LongAdder subscriptionDropped = new LongAdder();

		private volatile boolean cancelled;

		/** Closed broadcaster: buffered events are still delivered, new ones refused. */
		private volatile boolean sealed;

		MemorySubscription(Consumer<Event> handler, @Nullable String channel) {
			this.handler = Objects.requireNonNull(handler, "handler");
			this.channel = channel;
			this.buffer = new BoundedMpscQueue<>(MemoryBroadcaster.this.bufferSize);
			this.drainer = new SerialDrainer(MemoryBroadcaster.this.executor, this::drain, 4);
		}

		void offer(Event event) {
			if (this.cancelled) {
				return;
			}
			if (this.sealed) {
				// A publish that raced with close(): refused like any after it, but counted.
				this.subscriptionDropped.increment();
				MemoryBroadcaster.this.dropped.increment();
				return;
			}
			if (this.buffer.offer(event)) {
				this.drainer.signal();
			}
			else {
				this.subscriptionDropped.increment();
				MemoryBroadcaster.this.dropped.increment();
			}
		}

		private void drain() {
			Event event;
			while (!this.cancelled && (event = this.buffer.poll()) != null) {
				try {
					this.handler.accept(event);
				}
				catch (RuntimeException ex) {
					MemoryBroadcaster.this.handlerFailures.increment();
				}
			}
		}

		void seal() {
			this.sealed = true;
		}

		@Override
		public void cancel() {
			if (!this.cancelled) {
				this.cancelled = true;
				remove(this, this.channel);
			}
		}

		@Override
		public long dropped() {
			return this.subscriptionDropped.sum();
		}

	}

}
