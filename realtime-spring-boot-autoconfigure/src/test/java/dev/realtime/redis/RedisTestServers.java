package dev.realtime.redis;

/**
 * The test Redis, for tests in other packages.
 */
public final class RedisTestServers {

	private RedisTestServers() {
	}

	/**
	 * The URI of the Redis the tests use.
	 * @return the URI
	 */
	public static String uri() {
		return RedisTestServer.uri();
	}

	/**
	 * The sentinel of a Redis Sentinel set-up started once for the run (skips the test
	 * without {@code /usr/bin/redis-server}).
	 * @return {@code host:port}, as {@code spring.data.redis.sentinel.nodes} takes it
	 */
	public static String sentinelNode() {
		return "127.0.0.1:" + RedisSentinelTestServers.shared().sentinelPort();
	}

	/**
	 * The name under which the sentinel monitors the primary.
	 * @return the name, as {@code spring.data.redis.sentinel.master} takes it
	 */
	public static String sentinelMaster() {
		return RedisSentinelTestServers.MASTER;
	}

}
