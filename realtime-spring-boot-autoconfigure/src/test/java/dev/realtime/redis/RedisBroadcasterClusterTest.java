package dev.realtime.redis;

/**
 * The multi-node broadcaster tests of {@link RedisBroadcasterTest} on a Redis Cluster of three primaries and their replicas,
 * started once for the run: every script in its own slot, channel events over sharded
 * pub/sub.
 */
class RedisBroadcasterClusterTest extends RedisBroadcasterTest {

	@Override
	protected String redisUri() {
		return RedisClusterTestServers.shared().uri();
	}

}
