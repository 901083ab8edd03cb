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
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Connections per app across the cluster, for app connection quotas: every
 * {@linkplain RedisClusterConfig#statsInterval() stats interval} a node writes its own
 * counts to {@code {prefix}:node:{node}:conns} (a hash of app id to connections, expiring
 * after the node TTL unless rewritten) and, in the same script, reads the sum of the other
 * live nodes' counts, which it hands to the admission. So admitting a connection never
 * waits for Redis, and quotas are approximate: counts are up to one interval old.
 * <p>
 * When Redis cannot answer, the last sums stand.
 */
public final class RedisConnectionCounts implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnectionCounts.class);

	/** ARGV: prefix, node, ttl in ms, then app id and count pairs. Replies with the other live nodes' sums, flat. */
	static final RedisScript WRITE_AND_SUM = new RedisScript("""
			local p, node = ARGV[1], ARGV[2]
			local key = p .. ':node:' .. node .. ':conns'
			redis.call('DEL', key)
			if #ARGV > 3 then
			  redis.call('HSET', key, unpack(ARGV, 4))
			  redis.call('PEXPIRE', key, tonumber(ARGV[3]))
			end
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local sums, names = {}, {}
			for _, other in ipairs(redis.call('ZRANGEBYSCORE', p .. ':nodes', '(' .. now, '+inf')) do
			  if other ~= node then
			    local counts = redis.call('HGETALL', p .. ':node:' .. other .. ':conns')
			    for i = 1, #counts, 2 do
			      if sums[counts[i]] == nil then
			        sums[counts[i]] = 0
			        names[#names + 1] = counts[i]
			      end
			      sums[counts[i]] = sums[counts[i]] + tonumber(counts[i + 1])
			    end
			  end
			end
			local out = {}
			for _, name in ipairs(names) do
			  out[#out + 1] = name
			  out[#out + 1] = tostring(sums[name])
			end
			return out
			""", ScriptOutputType.MULTI);

	private final RedisConnections connections;

	private final RedisClusterConfig config;

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
		this.local = local;
		this.elsewhere = elsewhere;
		long period = this.config.statsInterval().toMillis();
		this.ticks = connections.scheduler().scheduleWithFixedDelay(this::exchange, 0, period, TimeUnit.MILLISECONDS);
	}

	/** On the scheduler: write this node's counts, read the others'. */
	void exchange() {
		StatefulRedisConnection<String, String> connection = this.connections.commands();
		if (connection == null || !this.connections.isUp()) {
			return;
		}
		List<String> args = new ArrayList<>();
		args.add(this.config.keyPrefix());
		args.add(this.config.nodeId());
		args.add(Long.toString(this.config.nodeTtl().toMillis()));
		this.local.get().forEach((app, count) -> {
			args.add(app);
			args.add(count.toString());
		});
		try {
			List<String> flat = WRITE_AND_SUM.<List<String>>run(connection.async(), args.toArray(String[]::new))
				.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			Map<String, Integer> sums = new HashMap<>();
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				sums.put(flat.get(i), Integer.parseInt(flat.get(i + 1)));
			}
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
		StatefulRedisConnection<String, String> connection = this.connections.commands();
		if (connection == null || !this.connections.isUp()) {
			return 0;
		}
		return connection.async()
			.del(this.config.keyPrefix() + ":node:" + this.config.nodeId() + ":conns")
			.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

}
