package dev.realtime.it;

import dev.realtime.redis.RedisTestServers;

/**
 * Every multi-node test again on Redis Sentinel ({@code spring.data.redis.sentinel.*}): the
 * nodes find the primary through the sentinel.
 */
class RedisTopologySentinelIntegrationTests extends RedisClusterIntegrationTests {

	@Override
	protected String redisUri() {
		return RedisTestServers.sentinelUri();
	}

}
