package dev.realtime.it;

import dev.realtime.redis.RedisTestServers;

/**
 * Every multi-node test again on a Redis Cluster (three primaries and their replicas,
 * {@code spring.data.redis.cluster.nodes}): channel events over sharded pub/sub, every
 * script in its own slot.
 */
class RedisTopologyClusterIntegrationTests extends RedisClusterIntegrationTests {

	@Override
	protected String redisUri() {
		return RedisTestServers.clusterUri();
	}

}
