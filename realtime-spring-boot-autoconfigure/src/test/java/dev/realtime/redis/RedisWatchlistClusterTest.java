package dev.realtime.redis;

/**
 * The watchlist tests of {@link RedisWatchlistTest} on a Redis Cluster of three primaries and their replicas,
 * started once for the run: every script in its own slot, channel events over sharded
 * pub/sub.
 */
class RedisWatchlistClusterTest extends RedisWatchlistTest {

	@Override
	protected String redisUri() {
		return RedisClusterTestServers.shared().uri();
	}

}
