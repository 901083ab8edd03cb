package dev.realtime.redis;

/**
 * The multi-node presence tests of {@link RedisPresenceTest} on a Redis Sentinel set-up (the
 * nodes find the primary through the sentinel), started once for the run.
 */
class RedisPresenceSentinelTest extends RedisPresenceTest {

	@Override
	protected String redisUri() {
		return RedisSentinelTestServers.shared().uri();
	}

}
