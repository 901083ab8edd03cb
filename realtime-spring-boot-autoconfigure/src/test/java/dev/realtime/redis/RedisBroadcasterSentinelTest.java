package dev.realtime.redis;

/**
 * The multi-node broadcaster tests of {@link RedisBroadcasterTest} on a Redis Sentinel set-up (the
 * nodes find the primary through the sentinel), started once for the run.
 */
class RedisBroadcasterSentinelTest extends RedisBroadcasterTest {

	@Override
	protected String redisUri() {
		return RedisSentinelTestServers.shared().uri();
	}

}
