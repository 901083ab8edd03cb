package dev.realtime.redis;

/**
 * The multi-node presence tests of {@link RedisPresenceTest} on a Redis Cluster of three primaries and their replicas,
 * started once for the run: every script in its own slot, channel events over sharded
 * pub/sub.
 */
class RedisPresenceClusterTest extends RedisPresenceTest {

	@Override
	protected String redisUri() {
		return RedisClusterTestServers.shared().uri();
	}

}
