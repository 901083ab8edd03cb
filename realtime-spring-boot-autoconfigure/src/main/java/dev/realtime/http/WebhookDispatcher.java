package dev.realtime.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * With several nodes each node sees only its own connections, so before sending, the
 * dispatcher asks the cluster-wide {@link ChannelStats} (a channel vacated here may still
 * be occupied on another node; a member removed here may still be present elsewhere) and
 * then claims the event from the {@link WebhookDeduplicator}, so the cluster sends it
 * once. Member changes can come from a cluster-wide source that reports each once. Client
 * events are sent by the node the sender is connected to.
 */
public final class WebhookDispatcher implements ChannelListener, PresenceListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(WebhookDispatcher.class);

	private final Hub hub;

	private final ChannelStats stats;

	private final WebhookSender sender;

	private final WebhookDeduplicator deduplicator;

	private final Set<WebhookEventType> enabled;

	private final Duration debounce;

	private final ScheduledExecutorService thread;

	private final ChannelStats localStats;

	/** Pending debounced removals by key; touched only on the dispatcher thread. */
	private final Map<String, ScheduledFuture<?>> pendingRemovals = new HashMap<>();

	/** Subscription counts last sent; touched only on the dispatcher thread. */
	private Map<String, Integer> lastCounts = Map.of();

	private final LongAdder suppressed = new LongAdder();

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
	 * @param enabled the event types to send
	 * @param debounce how long removals wait for a comeback
	 * @param subscriptionCountInterval how often changed subscription counts are sent
	 */
	public WebhookDispatcher(Hub hub, Consumer<PresenceListener> presenceEvents, Broadcaster broadcaster,
			ChannelStats stats, WebhookSender sender, WebhookDeduplicator deduplicator, Set<WebhookEventType> enabled,
			Duration debounce, Duration subscriptionCountInterval) {
		this.hub = hub;
		this.stats = stats;
		this.sender = sender;
		this.deduplicator = deduplicator;
		this.enabled = Set.copyOf(enabled);
		this.debounce = debounce;
		this.localStats = ChannelStats.of(hub);
		this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-webhook-events"));
		if (enabled.contains(WebhookEventType.CHANNEL_OCCUPIED) || enabled.contains(WebhookEventType.CHANNEL_VACATED)) {
			hub.onChannelLifecycle(this);
		}
		if (enabled.contains(WebhookEventType.MEMBER_ADDED) || enabled.contains(WebhookEventType.MEMBER_REMOVED)) {
			presenceEvents.accept(this);
		}
		this.clientEvents = enabled.contains(WebhookEventType.CLIENT_EVENT)
				? broadcaster.subscribeAll(this::clientEvent) : null;
		if (enabled.contains(WebhookEventType.SUBSCRIPTION_COUNT)) {
			long period = subscriptionCountInterval.toMillis();
			this.thread.scheduleWithFixedDelay(this::subscriptionCounts, period, period, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void occupied(String channel) {
		if (isReported(channel)) {
			execute(() -> arrived(WebhookEvent.of(WebhookEventType.CHANNEL_OCCUPIED, channel),
					"channel_vacated:" + channel));
		}
	}

	@Override
	public void vacated(String channel) {
		if (isReported(channel)) {
			execute(() -> removed(WebhookEvent.of(WebhookEventType.CHANNEL_VACATED, channel),
					"channel_vacated:" + channel));
		}
	}

	@Override
	public void onPresence(PresenceEvent event) {
		String key = "member_removed:" + event.channel() + ":" + event.member().id();
		WebhookEventType type = event.joined() ? WebhookEventType.MEMBER_ADDED : WebhookEventType.MEMBER_REMOVED;
		WebhookEvent webhook = WebhookEvent.member(type, event.channel(), event.member().id());
		execute(() -> {
			if (event.joined()) {
				arrived(webhook, key);
			}
			else {
				removed(webhook, key);
			}
		});
	}

	/**
	 * Report a subscription to a cache channel that had nothing cached.
	 * @param channel the channel
	 */
	public void cacheMiss(String channel) {
		if (this.enabled.contains(WebhookEventType.CACHE_MISS)) {
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
	 * Stop reporting. Pending debounced removals are dropped. Idempotent.
	 */
	@Override
	public void close() {
		if (this.clientEvents != null) {
			this.clientEvents.cancel();
		}
		this.thread.shutdownNow();
	}

	private void arrived(WebhookEvent event, String removalKey) {
		ScheduledFuture<?> pending = this.pendingRemovals.remove(removalKey);
		if (pending != null && pending.cancel(false)) {
			// Back within the debounce: neither the removal nor the arrival is news.
			this.suppressed.increment();
			return;
		}
		if (!this.enabled.contains(event.type()) || !firstInCluster(event)) {
			return;
		}
		if (this.deduplicator.claim(claimKey(event), this.debounce)) {
			this.sender.send(event);
		}
	}

	private void removed(WebhookEvent event, String removalKey) {
		ScheduledFuture<?> previous = this.pendingRemovals.remove(removalKey);
		if (previous != null) {
			previous.cancel(false);
		}
		this.pendingRemovals.put(removalKey, this.thread.schedule(() -> {
			this.pendingRemovals.remove(removalKey);
			if (this.enabled.contains(event.type()) && goneFromCluster(event)
					&& this.deduplicator.claim(claimKey(event), this.debounce)) {
				this.sender.send(event);
			}
		}, this.debounce.toMillis(), TimeUnit.MILLISECONDS));
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
	private boolean goneFromCluster(WebhookEvent event) {
		try {
			if (event.type() == WebhookEventType.CHANNEL_VACATED) {
				return this.stats.subscriptionCount(event.channel()) == 0;
			}
			return !this.stats.users(event.channel()).contains(event.userId());
		}
		catch (HubClosedException ex) {
			return false;
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
			if (this.hub.client(socketId) != null) {
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
				if (!count.getValue().equals(this.lastCounts.get(count.getKey()))) {
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
		return ChannelType.classify(channel) != ChannelType.SERVER_TO_USER;
	}

	private void execute(Runnable task) {
		try {
			this.thread.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Webhook dispatch failed", ex);
				}
			});
		}
		catch (RuntimeException ex) {
			// Closed: the hub is shutting down.
		}
	}

}
