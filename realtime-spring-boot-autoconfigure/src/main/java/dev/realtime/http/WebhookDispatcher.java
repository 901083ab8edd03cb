package dev.realtime.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelStats;
import dev.realtime.ChannelType;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import dev.realtime.PresenceEvent;
import dev.realtime.PresenceListener;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.Subscription;
import dev.realtime.internal.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns what happens on the hub into webhook events: channels occupied and vacated,
 * members added and removed, client events, cache misses and subscription counts.
 * <p>
 * The hub's callbacks only hand the change to one thread, which keeps the state and
 * decides, so the hub is never slowed. {@code channel_vacated} and
 * {@code member_removed} wait for the debounce delay: if the channel or member comes back
 * meanwhile (a page reload), neither the removal nor the new arrival is sent.
 * <p>
 * Everything is bounded, in two lanes: member changes have an inbox and a set of waiting
 * removals of their own ({@link WebhookSettings#presenceQueueCapacity()}), so a client
 * churning through channels (which anyone can do, unlike joining a presence channel)
 * cannot crowd out a genuine {@code member_removed}. A full inbox drops the change and
 * counts it ({@link #dropped()}, {@link #presenceDropped()}); when the waiting removals
 * reach their capacity the oldest is decided at once instead of after the full debounce.
 * On {@link #close()} the removals still waiting are sent at once: no other node reports
 * them.
 * <p>
 * With several nodes each node sees only its own connections, so before sending, the
 * dispatcher asks the cluster-wide {@link ChannelStats} (a channel vacated here may still
 * be occupied on another node; a member removed here may still be present elsewhere) and
 * then claims the event from the {@link WebhookDeduplicator}, so the cluster sends it
 * once. Member changes can come from a cluster-wide source that reports each once. Client
 * events are sent by the node the sender is connected to.
 */
public final class WebhookDispatcher implements ChannelListener, PresenceListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WebhookDispatcher.class);

	/** How long {@link #close()} waits for the dispatcher thread to finish its current task. */
	private static final long STOP_TIMEOUT_MILLIS = 1000;

	private final Hub hub;

	private final ChannelStats stats;

	private final WebhookSender sender;

	private final WebhookDeduplicator deduplicator;

	private final Set<WebhookEventType> enabled;

	private final Duration debounce;

	private final long subscriptionCountNanos;

	private final ChannelStats localStats;

	private final BlockingQueue<Runnable> presenceInbox;

	private final BlockingQueue<Runnable> channelInbox;

	/** Released once per change offered, and to stop. */
	private final Semaphore ready = new Semaphore(0);

	private final Thread thread;

	private volatile boolean closed;

	/** Member removals waiting for the debounce, oldest first; only on the dispatcher thread. */
	private final Removals presenceRemovals;

	/** Channel removals waiting for the debounce, oldest first; only on the dispatcher thread. */
	private final Removals channelRemovals;

	/** Subscription counts last sent; touched only on the dispatcher thread. */
	private Map<String, Integer> lastCounts = Map.of();

	private final LongAdder suppressed = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder presenceDropped = new LongAdder();

	private final @Nullable Subscription clientEvents;

	/**
	 * Create a dispatcher and register it with the hub.
	 * @param hub the hub whose changes are reported
	 * @param presenceEvents registers the dispatcher for member changes: {@code hub::onPresence}
	 * on one node, or a cluster-wide source that tells each change once (such as
	 * {@code RedisPresence::onClusterPresence})
	 * @param broadcaster carries client events (for {@code client_event})
	 * @param stats cluster-wide channel statistics
	 * @param sender delivers the events
	 * @param deduplicator decides which node sends a cluster-wide event
	 * @param enabled the event types to produce: every type some receiver is sent (which
	 * receiver gets which events is the sender's, {@link WebhookSender#wants})
	 * @param debounce how long removals wait for a comeback
	 * @param subscriptionCountInterval how often changed subscription counts are sent
	 * @param settings the capacities of the lanes ({@link WebhookSettings#queueCapacity()}
	 * and {@link WebhookSettings#presenceQueueCapacity()})
	 */
	public WebhookDispatcher(Hub hub, Consumer<PresenceListener> presenceEvents, Broadcaster broadcaster,
			ChannelStats stats, WebhookSender sender, WebhookDeduplicator deduplicator, Set<WebhookEventType> enabled,
			Duration debounce, Duration subscriptionCountInterval, WebhookSettings settings) {
		this.hub = hub;
		this.stats = stats;
		this.sender = sender;
		this.deduplicator = deduplicator;
		this.enabled = Set.copyOf(enabled);
		this.debounce = debounce;
		this.localStats = ChannelStats.of(hub);
		this.presenceInbox = new ArrayBlockingQueue<>(settings.presenceQueueCapacity());
		this.channelInbox = new ArrayBlockingQueue<>(settings.queueCapacity());
		this.presenceRemovals = new Removals(settings.presenceQueueCapacity());
		this.channelRemovals = new Removals(settings.queueCapacity());
		this.subscriptionCountNanos = enabled.contains(WebhookEventType.SUBSCRIPTION_COUNT)
				? subscriptionCountInterval.toNanos() : 0;
		this.thread = DaemonThreads.factory("realtime-webhook-events").newThread(this::run);
		this.thread.start();
		if (enabled.contains(WebhookEventType.CHANNEL_OCCUPIED) || enabled.contains(WebhookEventType.CHANNEL_VACATED)) {
			hub.onChannelLifecycle(this);
		}
		if (enabled.contains(WebhookEventType.MEMBER_ADDED) || enabled.contains(WebhookEventType.MEMBER_REMOVED)) {
			presenceEvents.accept(this);
		}
		this.clientEvents = enabled.contains(WebhookEventType.CLIENT_EVENT)
				? broadcaster.subscribeAll(this::clientEvent) : null;
	}

	@Override
	public void occupied(String channel) {
		if (isReported(channel)) {
			offer(this.channelInbox, this.dropped, () -> arrived(
					WebhookEvent.of(WebhookEventType.CHANNEL_OCCUPIED, channel), this.channelRemovals, channel));
		}
	}

	@Override
	public void vacated(String channel) {
		if (isReported(channel)) {
			offer(this.channelInbox, this.dropped,
					() -> removed(WebhookEvent.of(WebhookEventType.CHANNEL_VACATED, channel), this.channelRemovals,
							channel));
		}
	}

	@Override
	public void onPresence(PresenceEvent event) {
		String key = event.channel() + ":" + event.member().id();
		WebhookEventType type = event.joined() ? WebhookEventType.MEMBER_ADDED : WebhookEventType.MEMBER_REMOVED;
		WebhookEvent webhook = WebhookEvent.member(type, event.channel(), event.member().id());
		offer(this.presenceInbox, this.presenceDropped, () -> {
			if (event.joined()) {
				arrived(webhook, this.presenceRemovals, key);
			}
			else {
				removed(webhook, this.presenceRemovals, key);
			}
		});
	}

	/**
	 * Report a subscription to a cache channel that had nothing cached.
	 * @param channel the channel
	 */
	public void cacheMiss(String channel) {
		if (this.enabled.contains(WebhookEventType.CACHE_MISS)
				&& this.sender.wants(WebhookEventType.CACHE_MISS, channel)) {
			this.sender.send(WebhookEvent.of(WebhookEventType.CACHE_MISS, channel));
		}
	}

	/**
	 * Arrivals and removals not sent because the debounce absorbed them (a removal followed
	 * by a comeback counts once).
	 * @return the count
	 */
	public long suppressed() {
		return this.suppressed.sum();
	}

	/**
	 * Channel changes (occupied, vacated) dropped because the dispatcher's inbox was full.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Member changes dropped because the dispatcher's presence inbox was full.
	 * @return the count
	 */
	public long presenceDropped() {
		return this.presenceDropped.sum();
	}

	/**
	 * Stop reporting. The changes already received are decided and the removals still
	 * waiting for the debounce are sent at once (a node going away is not coming back), so
	 * a graceful shutdown loses none of them; the sender delivers them when it closes.
	 * Idempotent.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.clientEvents != null) {
			this.clientEvents.cancel();
		}
		this.ready.release();
		try {
			this.thread.join(STOP_TIMEOUT_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			// Stuck in a cluster query: its state cannot be touched from here.
			logger.warn("Webhook dispatcher did not stop in time; waiting removals are not sent");
			this.thread.interrupt();
			return;
		}
		// The dispatcher thread is gone: its state is this thread's now.
		runInboxes();
		flush(this.presenceRemovals);
		flush(this.channelRemovals);
	}

	private void run() {
		long nextCount = System.nanoTime() + this.subscriptionCountNanos;
		while (!this.closed) {
			long now = System.nanoTime();
			long wait = Math.min(this.presenceRemovals.nanosUntilDue(now), this.channelRemovals.nanosUntilDue(now));
			if (this.subscriptionCountNanos > 0) {
				wait = Math.min(wait, Math.max(0, nextCount - now));
			}
			try {
				if (this.ready.tryAcquire(Math.min(wait, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
					this.ready.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			if (this.closed) {
				return;
			}
			runInboxes();
			now = System.nanoTime();
			sendDue(this.presenceRemovals, now);
			sendDue(this.channelRemovals, now);
			if (this.subscriptionCountNanos > 0 && now - nextCount >= 0) {
				subscriptionCounts();
				nextCount = now + this.subscriptionCountNanos;
			}
		}
	}

	/** Member changes first: they are what a receiver must not miss. */
	private void runInboxes() {
		Runnable task;
		while ((task = this.presenceInbox.poll()) != null || (task = this.channelInbox.poll()) != null) {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Webhook dispatch failed", ex);
			}
		}
	}

	private void arrived(WebhookEvent event, Removals removals, String key) {
		if (removals.remove(key) != null) {
			// Back within the debounce: neither the removal nor the arrival is news.
			this.suppressed.increment();
			return;
		}
		if (!isWanted(event) || !firstInCluster(event)) {
			return;
		}
		if (this.deduplicator.claim(claimKey(event), this.debounce)) {
			this.sender.send(event);
		}
	}

	private void removed(WebhookEvent event, Removals removals, String key) {
		WebhookEvent oldest = removals.add(key, event, System.nanoTime() + this.debounce.toNanos());
		if (oldest != null) {
			// Full: decide the oldest now rather than forget it.
			decide(oldest, false);
		}
	}

	private void sendDue(Removals removals, long now) {
		WebhookEvent due;
		while ((due = removals.pollDue(now)) != null) {
			try {
				decide(due, false);
			}
			catch (RuntimeException ex) {
				logger.warn("Webhook dispatch failed", ex);
			}
		}
	}

	private void flush(Removals removals) {
		List<WebhookEvent> waiting = removals.drain();
		for (WebhookEvent event : waiting) {
			try {
				decide(event, true);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not send " + event.type().wireName() + " at shutdown", ex);
			}
		}
	}

	private void decide(WebhookEvent event, boolean shuttingDown) {
		if (isWanted(event) && goneFromCluster(event, shuttingDown)
				&& this.deduplicator.claim(claimKey(event), this.debounce)) {
			this.sender.send(event);
		}
	}

	/**
	 * Whether the event is enabled and some receiver is sent it: only then is it worth a
	 * cluster query and a claim.
	 */
	private boolean isWanted(WebhookEvent event) {
		return this.enabled.contains(event.type()) && this.sender.wants(event.type(), event.channel());
	}

	/** Whether no other node had the channel (or member) already. */
	private boolean firstInCluster(WebhookEvent event) {
		try {
			if (event.type() == WebhookEventType.CHANNEL_OCCUPIED) {
				return this.stats.subscriptionCount(event.channel()) <= this.localStats
					.subscriptionCount(event.channel());
			}
			return true;
		}
		catch (RuntimeException ex) {
			// Cluster state unknown: rely on the deduplicator alone.
			return true;
		}
	}

	/** Whether the channel (or member) is gone from every node, after the debounce. */
	private boolean goneFromCluster(WebhookEvent event, boolean shuttingDown) {
		try {
			if (event.type() == WebhookEventType.CHANNEL_VACATED) {
				return this.stats.subscriptionCount(event.channel()) == 0;
			}
			return !this.stats.users(event.channel()).contains(event.userId());
		}
		catch (HubClosedException ex) {
			// At shutdown this node's connections are gone and it cannot ask further: send
			// (at least once, like Pusher) rather than lose a removal nobody else reports.
			return shuttingDown;
		}
		catch (RuntimeException ex) {
			logger.debug("Cluster state unavailable, sending " + event.type().wireName() + " anyway", ex);
			return true;
		}
	}

	private void clientEvent(Event event) {
		String socketId = event.exceptSocketId();
		if (!event.name().startsWith("client-") || socketId == null) {
			return;
		}
		try {
			// Only the node the sender is connected to reports it.
			if (this.sender.wants(WebhookEventType.CLIENT_EVENT, event.channel())
					&& this.hub.client(socketId) != null) {
				this.sender.send(WebhookEvent.clientEvent(event.channel(), event.name(), event.payload(), socketId,
						event.userId()));
			}
		}
		catch (HubClosedException ex) {
			// Shutting down.
		}
	}

	private void subscriptionCounts() {
		try {
			Map<String, Integer> counts = this.stats.occupiedChannels();
			for (Map.Entry<String, Integer> count : counts.entrySet()) {
				if (!count.getValue().equals(this.lastCounts.get(count.getKey()))
						&& this.sender.wants(WebhookEventType.SUBSCRIPTION_COUNT, count.getKey())) {
					WebhookEvent event = WebhookEvent.subscriptionCount(count.getKey(), count.getValue());
					if (this.deduplicator.claim(claimKey(event) + ":" + count.getValue(), this.debounce)) {
						this.sender.send(event);
					}
				}
			}
			this.lastCounts = counts;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read subscription counts", ex);
		}
	}

	private static String claimKey(WebhookEvent event) {
		String key = event.type().wireName() + ":" + event.channel();
		return (event.userId() != null) ? key + ":" + event.userId() : key;
	}

	private static boolean isReported(String channel) {
		return !ChannelType.classify(channel).isInternal();
	}

	private void offer(BlockingQueue<Runnable> inbox, LongAdder drops, Runnable change) {
		if (this.closed) {
			return;
		}
		if (inbox.offer(change)) {
			this.ready.release();
		}
		else {
			drops.increment();
		}
	}

	/**
	 * Removals waiting for the debounce, by key, oldest first: every removal waits as long,
	 * so insertion order is due order and the first entry is the next one due.
	 */
	private static final class Removals {

		private final int capacity;

		private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

		Removals(int capacity) {
			this.capacity = capacity;
		}

		/**
		 * Wait for a removal (replacing an earlier one of the same key).
		 * @return the oldest removal, taken out to be decided now, if the capacity is
		 * reached
		 */
		@Nullable WebhookEvent add(String key, WebhookEvent event, long due) {
			this.pending.remove(key);
			WebhookEvent evicted = null;
			if (this.pending.size() >= this.capacity) {
				Iterator<Pending> oldest = this.pending.values().iterator();
				evicted = oldest.next().event();
				oldest.remove();
			}
			this.pending.put(key, new Pending(event, due));
			return evicted;
		}

		@Nullable Pending remove(String key) {
			return this.pending.remove(key);
		}

		@Nullable WebhookEvent pollDue(long now) {
			Iterator<Pending> oldest = this.pending.values().iterator();
			if (!oldest.hasNext()) {
				return null;
			}
			Pending first = oldest.next();
			if (now - first.due() < 0) {
				return null;
			}
			oldest.remove();
			return first.event();
		}

		long nanosUntilDue(long now) {
			Iterator<Pending> oldest = this.pending.values().iterator();
			return oldest.hasNext() ? Math.max(0, oldest.next().due() - now) : Long.MAX_VALUE;
		}

		List<WebhookEvent> drain() {
			List<WebhookEvent> events = new ArrayList<>(this.pending.size());
			this.pending.values().forEach((pending) -> events.add(pending.event()));
			this.pending.clear();
			return events;
		}

	}

	private record Pending(WebhookEvent event, long due) {
	}

}
