package dev.realtime.autoconfigure.redis;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where the application's Redis is, read from Spring Data Redis's connection factory, so
 * the realtime connections go to the same server with the same credentials (Boot's
 * {@code spring.data.redis.*} properties): a standalone Redis, or the primary that Redis
 * Sentinel names ({@code spring.data.redis.sentinel.*}).
 */
public final class RedisUris {

	private RedisUris() {
	}

	/**
	 * The address of the Redis configured on a connection factory.
	 * @param factory the application's connection factory
	 * @return the address, with database, credentials and TLS settings; for Sentinel, the
	 * sentinels and the primary's name, so Lettuce asks the sentinels where the primary is
	 * on every (re)connect
	 * @throws IllegalStateException for Redis Cluster, which the Redis broadcaster does not
	 * support yet
	 */
	public static RedisURI from(LettuceConnectionFactory factory) {
		if (factory.isClusterAware()) {
			throw new IllegalStateException("realtime.broadcaster=redis supports a standalone Redis or Redis "
					+ "Sentinel (spring.data.redis.sentinel.*), not Redis Cluster yet");
		}
		LettuceClientConfiguration client = factory.getClientConfiguration();
		RedisURI.Builder uri;
		if (factory.isRedisSentinelAware()) {
			RedisSentinelConfiguration sentinel = factory.getSentinelConfiguration();
			uri = sentinels(sentinel).withDatabase(sentinel.getDatabase());
			credentials(uri, sentinel.getUsername(), sentinel.getPassword());
		}
		else {
			RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
			uri = RedisURI.builder()
				.withHost(standalone.getHostName())
				.withPort(standalone.getPort())
				.withDatabase(standalone.getDatabase());
			credentials(uri, standalone.getUsername(), standalone.getPassword());
		}
		return uri.withSsl(client.isUseSsl())
			.withStartTls(client.isStartTls())
			.withVerifyPeer(client.getVerifyMode())
			.build();
	}

	private static RedisURI.Builder sentinels(RedisSentinelConfiguration sentinel) {
		RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId(sentinel.getRequiredMaster().getName());
		for (RedisNode node : sentinel.getSentinels()) {
			RedisURI.Builder one = RedisURI.builder()
				.withHost(node.getRequiredHost())
				.withPort(node.getPortOr(RedisNode.DEFAULT_SENTINEL_PORT));
			// The sentinels' own credentials (spring.data.redis.sentinel.username/password),
			// not the data nodes'.
			credentials(one, sentinel.getSentinelUsername(), sentinel.getSentinelPassword());
			uri.withSentinel(one.build());
		}
		return uri;
	}

	private static void credentials(RedisURI.Builder uri, @Nullable String username, RedisPassword password) {
		if (password.isPresent()) {
			if (username != null) {
				uri.withAuthentication(username, password.get());
			}
			else {
				uri.withPassword(password.get());
			}
		}
	}

}
