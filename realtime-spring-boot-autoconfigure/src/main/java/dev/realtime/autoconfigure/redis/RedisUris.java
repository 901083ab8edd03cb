package dev.realtime.autoconfigure.redis;

import io.lettuce.core.RedisURI;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where the application's Redis is, read from Spring Data Redis's connection factory, so
 * the realtime connections go to the same server with the same credentials (Boot's
 * {@code spring.data.redis.*} properties).
 */
public final class RedisUris {

	private RedisUris() {
	}

	/**
	 * The address of a standalone Redis configured on a connection factory.
	 * @param factory the application's connection factory
	 * @return the address, with database, credentials and TLS settings
	 * @throws IllegalStateException for Redis Cluster or Sentinel set-ups, which the Redis
	 * broadcaster does not support yet
	 */
	public static RedisURI from(LettuceConnectionFactory factory) {
		if (factory.isClusterAware() || factory.isRedisSentinelAware()) {
			throw new IllegalStateException(
					"realtime.broadcaster=redis supports a standalone Redis only, not Redis Cluster or Sentinel");
		}
		RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
		LettuceClientConfiguration client = factory.getClientConfiguration();
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(standalone.getHostName())
			.withPort(standalone.getPort())
			.withDatabase(standalone.getDatabase())
			.withSsl(client.isUseSsl())
			.withStartTls(client.isStartTls())
			.withVerifyPeer(client.getVerifyMode());
		if (standalone.getPassword().isPresent()) {
			char[] password = standalone.getPassword().get();
			String username = standalone.getUsername();
			if (username != null) {
				uri.withAuthentication(username, password);
			}
			else {
				uri.withPassword(password);
			}
		}
		return uri.build();
	}

}
