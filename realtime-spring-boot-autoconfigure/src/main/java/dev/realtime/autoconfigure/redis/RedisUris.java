package dev.realtime.autoconfigure.redis;

import java.util.ArrayList;
import java.util.List;

import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnections;
import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where the application's Redis is, read from Spring Data Redis's connection factory, so
 * the realtime connections go to the same server with the same credentials (Boot's
 * {@code spring.data.redis.*} properties): a standalone Redis, the primary that Redis
 * Sentinel names ({@code spring.data.redis.sentinel.*}), or a Redis Cluster
 * ({@code spring.data.redis.cluster.*}).
 */
public final class RedisUris {

	private RedisUris() {
	}

	/**
	 * The realtime connections to the Redis configured on a connection factory.
	 * @param factory the application's connection factory
	 * @param config the node's settings
	 * @return connections to the same standalone Redis, Sentinel primary or Redis Cluster
	 */
	public static RedisConnections connections(LettuceConnectionFactory factory, RedisClusterConfig config) {
		return factory.isClusterAware() ? RedisConnections.cluster(clusterNodes(factory), config)
				: new RedisConnections(from(factory), config);
	}

	/**
	 * The nodes of the Redis Cluster configured on a connection factory.
	 * @param factory the application's connection factory, cluster-aware
	 * @return the configured nodes, with credentials and TLS settings (Lettuce discovers
	 * the others)
	 */
	public static List<RedisURI> clusterNodes(LettuceConnectionFactory factory) {
		RedisClusterConfiguration cluster = factory.getClusterConfiguration();
		List<RedisURI> nodes = new ArrayList<>();
		for (RedisNode node : cluster.getClusterNodes()) {
			RedisURI.Builder uri = RedisURI.builder()
				.withHost(node.getRequiredHost())
				.withPort(node.getPortOr(RedisURI.DEFAULT_REDIS_PORT));
			credentials(uri, cluster.getUsername(), cluster.getPassword());
			nodes.add(secured(uri, factory.getClientConfiguration()));
		}
		return nodes;
	}

	/**
	 * The address of the Redis configured on a connection factory.
	 * @param factory the application's connection factory, not cluster-aware
	 * @return the address, with database, credentials and TLS settings; for Sentinel, the
	 * sentinels and the primary's name, so Lettuce asks the sentinels where the primary is
	 * on every (re)connect
	 * @throws IllegalStateException for Redis Cluster, which has several addresses
	 */
	public static RedisURI from(LettuceConnectionFactory factory) {
		if (factory.isClusterAware()) {
			throw new IllegalStateException("A Redis Cluster has no single address: use clusterNodes");
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
		return secured(uri, client);
	}

	private static RedisURI secured(RedisURI.Builder uri, LettuceClientConfiguration client) {
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
