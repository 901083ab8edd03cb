package dev.realtime.redis;

/**
 * The connection count tests of {@link RedisConnectionCountsTest} on a Redis Cluster of three primaries and their replicas,
 * started once for the run: every script in its own slot, channel events over sharded
 * pub/sub.
 */
class RedisConnectionCountsClusterTest extends RedisConnectionCountsTest {

	@Override
	protected String redisUri() {
		return RedisClusterTestServers.shared().uri();
	}

}
