package dev.realtime.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

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
	 * A Redis Cluster started once for the run (skips the test without
	 * {@code /usr/bin/redis-server} and {@code redis-cli}).
	 * @return its {@link TestRedis} URI
	 */
	public static String clusterUri() {
		return RedisClusterTestServers.shared().uri();
	}

	/**
	 * The Redis Sentinel set-up started once for the run.
	 * @return its Lettuce URI, {@code redis-sentinel://host:port#master}
	 */
	public static String sentinelUri() {
		return RedisSentinelTestServers.shared().uri();
	}

	/**
	 * The name under which the sentinel monitors the primary.
	 * @return the name, as {@code spring.data.redis.sentinel.master} takes it
	 */
	public static String sentinelMaster() {
		return RedisSentinelTestServers.MASTER;
	}

	/**
	 * Delete every key under a test's prefix ({@code prefix:*}), a page at a time.
	 * @param redis the commands to use
	 * @param prefix the key prefix
	 */
	public static void deleteKeys(RedisCommands<String, String> redis, String prefix) {
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
			if (!page.getKeys().isEmpty()) {
				redis.del(page.getKeys().toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
	}

	/**
	 * Delete every key under a test's prefix in the test Redis, on a connection of its own.
	 * @param prefix the key prefix
	 */
	public static void deleteKeys(String prefix) {
		RedisClient client = RedisClient.create(uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			deleteKeys(connection.sync(), prefix);
		}
		finally {
			client.shutdown();
		}
	}

}
