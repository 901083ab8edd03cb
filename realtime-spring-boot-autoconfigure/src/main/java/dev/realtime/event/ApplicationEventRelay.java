package dev.realtime.event;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.PresenceEvent;
import dev.realtime.PresenceListener;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.pusher.ConnectionLifecycleListener;
import dev.realtime.pusher.PusherConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes what happens to this node's connections and presence rosters as
 * {@link RealtimeEvent}s through Spring's {@link ApplicationEventPublisher}, off the
 * server's threads.
 * <p>
 * The server's threads only build the event and offer it to a bounded queue; one thread
 * of this relay publishes them in order, so listeners run one at a time, never on a
 * WebSocket reader, never under a hub lock, and a slow listener delays only later events,
 * never a delivery. When the queue is full the event is dropped, counted
 * ({@link #dropped()}, the {@code realtime.events.dropped} meter) and logged at most once
 * every {@link #LOG_INTERVAL}. An exception from a listener is logged and the next event
 * published.
 */
public final class ApplicationEventRelay implements ConnectionLifecycleListener, PresenceListener, AutoCloseable {

	/** How often a run of drops is logged at most. */
	public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ApplicationEventRelay.class);

	/** How long {@link #close()} lets the thread publish what is still queued. */
	private static final long CLOSE_TIMEOUT_MILLIS = 2000;

	private final ApplicationEventPublisher publisher;

	private final BlockingQueue<RealtimeEvent> queue;

	private final LongAdder dropped = new LongAdder();

	private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());

	private final Thread thread;

	private volatile boolean closed;

	/**
	 * Start relaying.
	 * @param publisher where the events go (the application context)
	 * @param capacity how many events may wait for the listeners before new ones are
	 * dropped
	 */
	public ApplicationEventRelay(ApplicationEventPublisher publisher, int capacity) {
		this.publisher = Objects.requireNonNull(publisher, "publisher");
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive, got " + capacity);
		}
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.thread = DaemonThreads.factory("realtime-events").newThread(this::run);
		this.thread.start();
	}

	@Override
	public void opened(PusherConnection connection) {
		offer(new ConnectionOpenedEvent(connection.app().id(), connection.socketId()));
	}

	@Override
	public void closed(PusherConnection connection, int closeCode, Set<String> channels) {
		offer(new ConnectionClosedEvent(connection.app().id(), connection.socketId(), connection.client().userId(),
				closeCode, channels));
	}

	@Override
	public void subscribed(PusherConnection connection, String channel, @Nullable String memberId) {
		offer(new ChannelSubscribedEvent(connection.app().id(), connection.socketId(), channel,
				(memberId != null) ? memberId : connection.client().userId()));
	}

	@Override
	public void unsubscribed(PusherConnection connection, String channel) {
		offer(new ChannelUnsubscribedEvent(connection.app().id(), connection.socketId(), channel));
	}

	@Override
	public void signedIn(PusherConnection connection, String userId) {
		offer(new SignedInEvent(connection.app().id(), connection.socketId(), userId));
	}

	@Override
	public void clientEvent(PusherConnection connection, String channel, String event, String data,
			@Nullable String memberId) {
		offer(new ClientEventReceivedEvent(connection.app().id(), connection.socketId(), channel, event, data,
				memberId));
	}

	@Override
	public void onPresence(PresenceEvent event) {
		offer(event.joined() ? new MemberAddedEvent(event.channel(), event.member().id(), event.member().info())
				: new MemberRemovedEvent(event.channel(), event.member().id()));
	}

	/**
	 * Events dropped because the queue was full (or the relay closed).
	 * @return the count since the start
	 */
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Events waiting for the listeners.
	 * @return the count
	 */
	public int queued() {
		return this.queue.size();
	}

	/**
	 * Take no more events, publish those still queued (for up to two seconds) and stop.
	 * Idempotent.
	 */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.thread.join(CLOSE_TIMEOUT_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread.interrupt();
	}

	private void offer(RealtimeEvent event) {
		if (this.closed || !this.queue.offer(event)) {
			this.dropped.increment();
			logDrop(event);
		}
	}

	private void logDrop(RealtimeEvent event) {
		long now = System.nanoTime();
		long last = this.lastDropLog.get();
		if (now - last >= LOG_INTERVAL.toNanos() && this.lastDropLog.compareAndSet(last, now)) {
			logger.warn("Realtime events are published slower than they happen: dropped " + event + " ("
					+ dropped() + " dropped in all; the queue holds " + (this.queue.size() + this.queue.remainingCapacity())
					+ ", realtime.events.queue-capacity)");
		}
	}

	private void run() {
		while (!this.closed || !this.queue.isEmpty()) {
			RealtimeEvent event;
			try {
				event = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (event != null) {
				publish(event);
			}
		}
	}

	private void publish(RealtimeEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// A listener must not stop the events of the others.
			logger.warn("A listener of " + event + " failed", ex);
		}
	}

}
