package dev.realtime.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.realtime.ChannelStats;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Channel counts and presence users for the whole cluster: this node's own counts, read
 * live, plus every other live node's, which each node writes to Redis (only what changed)
 * every {@linkplain RedisClusterConfig#statsInterval() stats interval}, and all of them
 * again after a reconnect or when its entry is gone (the node was reaped after a pause
 * longer than the node TTL, or Redis lost its data). Presence users come
 * from the cluster rosters. Needs the {@link RedisPresence} of each node running (its
 * heartbeat tells which nodes are alive).
 * <p>
 * The queries block for one Redis round trip; when Redis cannot answer they throw
 * {@link IllegalStateException}.
 */
public final class RedisChannelStats implements ChannelStats, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisChannelStats.class);

	private final RedisConnections connections;

	private final ChannelStats local;

	private final RedisClusterConfig config;

	private final RedisKeys keys;

	private final LiveNodes others;

	private final String countsKey;

	private final AtomicBoolean rewriteAll = new AtomicBoolean(true);

	private final ScheduledFuture<?> ticks;

	/** What Redis holds for this node; touched only by the scheduler. */
	private Map<String, Integer> written = new HashMap<>();

	/**
	 * Cluster statistics over the given connections.
	 * @param connections the node's Redis connections
	 * @param local this node's statistics, usually {@code ChannelStats.of(hub)}
	 */
	public RedisChannelStats(RedisConnections connections, ChannelStats local) {
		this.connections = connections;
		this.local = local;
		this.config = connections.config();
		this.keys = new RedisKeys(this.config.keyPrefix());
		this.others = new LiveNodes(this.keys, this.config.nodeId());
		this.countsKey = this.keys.nodeSubscriptions(this.config.nodeId());
		connections.onConnected(() -> {
			this.rewriteAll.set(true);
			writeCounts();
		});
		long period = this.config.statsInterval().toMillis();
		this.ticks = connections.scheduler()
			.scheduleWithFixedDelay(this::writeCounts, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public int subscriptionCount(String channel) {
		long others = await(this.others.sumField(commands(), this.keys::nodeSubscriptions, channel));
		return this.local.subscriptionCount(channel) + (int) others;
	}

	@Override
	public Map<String, Integer> occupiedChannels() {
		Map<String, Long> others = await(this.others.sumHashes(commands(), this.keys::nodeSubscriptions));
		Map<String, Integer> counts = new TreeMap<>(this.local.occupiedChannels());
		others.forEach((channel, count) -> {
			if (count > 0) {
				counts.merge(channel, count.intValue(), Integer::sum);
			}
		});
		return counts;
	}

	@Override
	public List<String> users(String channel) {
		return await(commands().hkeys(this.keys.members(channel)));
	}

	/** Stop writing this node's counts (the presence's clean shutdown removes them). */
	@Override
	public void close() {
		this.ticks.cancel(false);
	}

	/** On the scheduler: write what changed since the last time, or everything if Redis lost it. */
	void writeCounts() {
		RedisClusterAsyncCommands<String, String> redis = this.connections.commands();
		if (redis == null) {
			this.rewriteAll.set(true);
			return;
		}
		Map<String, Integer> now = this.local.occupiedChannels();
		boolean all;
		try {
			// Gone although we wrote it: reaped after a pause longer than the node TTL (the
			// reaper deletes every entry of the node), or Redis lost its data.
			all = this.rewriteAll.getAndSet(false)
					|| (!this.written.isEmpty() && await(redis.exists(this.countsKey)) == 0);
		}
		catch (RuntimeException ex) {
			this.rewriteAll.set(true);
			this.connections.recordError(ex);
			return;
		}
		Map<String, String> changed = new HashMap<>();
		now.forEach((channel, count) -> {
			if (all || !count.equals(this.written.get(channel))) {
				changed.put(channel, count.toString());
			}
		});
		String[] gone = this.written.keySet().stream().filter((channel) -> !now.containsKey(channel))
			.toArray(String[]::new);
		try {
			RedisClusterAsyncCommands<String, String> commands = redis;
			if (all) {
				await(commands.del(this.countsKey));
			}
			else if (gone.length > 0) {
				await(commands.hdel(this.countsKey, gone));
			}
			if (!changed.isEmpty()) {
				await(commands.hset(this.countsKey, changed));
			}
			this.written = now;
		}
		catch (RuntimeException ex) {
			this.rewriteAll.set(true);
			this.connections.recordError(ex);
			logger.debug("Could not write subscription counts", ex);
		}
	}

	private RedisClusterAsyncCommands<String, String> commands() {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			throw new IllegalStateException("Redis is unreachable");
		}
		return commands;
	}

	private <T> T await(Future<T> future) {
		try {
			return future.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer", ex);
		}
	}

}
