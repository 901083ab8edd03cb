package dev.realtime.pusher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.realtime.ChannelStats;
import dev.realtime.ChannelType;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import dev.realtime.internal.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the subscribers of public and private channels how many connections the channel
 * has, as Pusher does when the app enables it: {@code pusher_internal:subscription_count}
 * with {@code {"subscription_count": n}}, which pusher-js emits as
 * {@code pusher:subscription_count}. Presence channels are left out (their members say
 * more), as are the internal {@code #server-to-user-} channels.
 * <p>
 * One daemon thread reads the cluster-wide counts ({@link ChannelStats#occupiedChannels()},
 * one call per round, which with Redis is one round trip) every {@code interval} and sends
 * a channel's count to this node's subscribers when it differs from what they were last
 * told: at most once per interval per channel, and not at all for a channel whose count
 * did not change. Every node does the same for its own subscribers from the same counts.
 */
public final class SubscriptionCounts implements AutoCloseable {

	/** The event Pusher sends. */
	public static final String EVENT = "pusher_internal:subscription_count";

	private static final Log logger = LogFactory.getLog(SubscriptionCounts.class);

	private final Hub hub;

	private final ChannelStats stats;

	private final ScheduledExecutorService scheduler;

	/** Scheduler thread only: the count each local channel was last told. */
	private final Map<String, Integer> told = new HashMap<>();

	/**
	 * Start telling counts.
	 * @param hub this node's hub
	 * @param stats the counts of the whole cluster
	 * @param interval how often counts are read and changes sent
	 */
	public SubscriptionCounts(Hub hub, ChannelStats stats, Duration interval) {
		this.hub = Objects.requireNonNull(hub, "hub");
		this.stats = Objects.requireNonNull(stats, "stats");
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("interval must be positive, got " + interval);
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-subscription-count"));
		long millis = interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::tellChanges, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Send the counts that changed since the last round; called by the scheduler.
	 */
	void tellChanges() {
		try {
			if (this.hub.isClosed()) {
				return;
			}
			Map<String, Integer> cluster = this.stats.occupiedChannels();
			Set<String> local = this.hub.channels();
			this.told.keySet().retainAll(local);
			for (String channel : local) {
				ChannelType type = ChannelType.classify(channel);
				if (type.isPresence() || type.isInternal()) {
					continue;
				}
				// The cluster's count includes this node's, fresh; fall back to ours if the
				// channel was joined after it was read.
				int count = cluster.getOrDefault(channel, this.hub.channelCount(channel));
				Integer previous = this.told.put(channel, count);
				if (previous == null || previous != count) {
					this.hub.broadcast(channel,
							PusherFrames.event(EVENT, channel, "{\"subscription_count\":" + count + "}"));
				}
			}
		}
		catch (HubClosedException ex) {
			// Shutting down.
		}
		catch (RuntimeException ex) {
			// The cluster's counts could not be read (Redis down): try again next round.
			logger.debug("Subscription counts not sent this round", ex);
		}
	}

	/**
	 * Stop sending counts. Idempotent.
	 */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
