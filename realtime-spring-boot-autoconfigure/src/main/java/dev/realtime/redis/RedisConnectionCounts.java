package dev.realtime.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Connections per app across the cluster, for app connection quotas: every
 * {@linkplain RedisClusterConfig#statsInterval() stats interval} a node writes its own
 * counts to its {@linkplain RedisKeys#nodeConnections connection counts} (a hash of app id
 * to connections, expiring after the node TTL unless rewritten), then reads the sum of the
 * other live nodes' counts, which it hands to the admission. So admitting a connection never
 * waits for Redis, and quotas are approximate: counts are up to one interval old.
 * <p>
 * When Redis cannot answer, the last sums stand.
 */
public final class RedisConnectionCounts implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnectionCounts.class);

	/** KEYS: the node's counts. ARGV: ttl in ms, then app id and count pairs. Replaces the counts. */
	static final RedisScript WRITE = new RedisScript("""
			redis.call('DEL', KEYS[1])
			if #ARGV > 1 then
			  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
			  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
			end
			return 1
			""", ScriptOutputType.INTEGER);

	private final RedisConnections connections;

	private final RedisClusterConfig config;

	private final RedisKeys keys;

	private final LiveNodes others;

	private final Supplier<Map<String, Integer>> local;

	private final Consumer<Map<String, Integer>> elsewhere;

	private final ScheduledFuture<?> ticks;

	/**
	 * Start sharing the counts.
	 * @param connections the node's Redis connections
	 * @param local this node's connections per app id
	 * @param elsewhere told the other nodes' connections per app id after each exchange
	 */
	public RedisConnectionCounts(RedisConnections connections, Supplier<Map<String, Integer>> local,
			Consumer<Map<String, Integer>> elsewhere) {
		this.connections = connections;
		this.config = connections.config();
		this.keys = new RedisKeys(this.config.keyPrefix());
		this.others = new LiveNodes(this.keys, this.config.nodeId());
		this.local = local;
		this.elsewhere = elsewhere;
		long period = this.config.statsInterval().toMillis();
		this.ticks = connections.scheduler().scheduleWithFixedDelay(this::exchange, 0, period, TimeUnit.MILLISECONDS);
	}

	/** On the scheduler: write this node's counts, read the others'. */
	void exchange() {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			return;
		}
		List<String> args = new ArrayList<>();
		args.add(Long.toString(this.config.nodeTtl().toMillis()));
		this.local.get().forEach((app, count) -> {
			args.add(app);
			args.add(count.toString());
		});
		try {
			Map<String, Long> others = WRITE
				.run(commands, new String[] { this.keys.nodeConnections(this.config.nodeId()) },
						args.toArray(String[]::new))
				.thenCompose((written) -> this.others.sumHashes(commands, this.keys::nodeConnections))
				.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			Map<String, Integer> sums = new HashMap<>();
			others.forEach((app, count) -> sums.put(app, count.intValue()));
			this.elsewhere.accept(sums);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			this.connections.recordError(ex);
			logger.debug("Could not exchange connection counts", ex);
		}
	}

	/**
	 * Stop sharing and remove this node's counts. The removal runs on the scheduler, after
	 * an exchange that may be running, so that it cannot write them back.
	 */
	@Override
	public void close() {
		this.ticks.cancel(false);
		try {
			this.connections.scheduler().submit(this::removeCounts)
				.get(this.config.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// Shutting down; the key expires after the node TTL anyway.
			logger.debug("Could not remove connection counts", ex);
		}
	}

	/** How many keys were removed: 0 or 1. */
	private long removeCounts() throws Exception {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			return 0;
		}
		return commands.del(this.keys.nodeConnections(this.config.nodeId()))
			.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

}
