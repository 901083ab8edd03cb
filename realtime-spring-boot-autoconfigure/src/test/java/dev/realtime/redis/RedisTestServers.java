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

}
