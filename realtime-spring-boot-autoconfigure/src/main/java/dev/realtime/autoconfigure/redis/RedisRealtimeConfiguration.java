package dev.realtime.autoconfigure.redis;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.BroadcasterUnavailableException;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.autoconfigure.RealtimeProperties.BroadcasterType;
import dev.realtime.pusher.AllAppsChannelStats;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.BroadcastThreads;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnectionCounts;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisPresence;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * The Redis side of {@code realtime.broadcaster=redis}: this node's Redis connections (to
 * the server of the application's {@link LettuceConnectionFactory}, usually Spring Boot's
 * from {@code spring.data.redis.*}), the {@link RedisBroadcaster} as the application's
 * broadcaster, the {@link RedisPresence} directory (which the auto-configured hub takes)
 * and the cluster-wide {@link ChannelStats}, and the per-app connection counts the
 * {@link ConnectionAdmission} adds for app quotas ({@link RedisConnectionCounts}).
 * <p>
 * Imported by the realtime auto-configuration when the Redis broadcaster is chosen and
 * Spring Data Redis and Lettuce are present. Binds the hub's channel lifecycle and user
 * termination to the broadcaster and opens the connections once every singleton exists.
 * The settings come from {@code realtime.redis.*} unless the application defines a
 * {@link RedisClusterConfig} bean.
 */
@Configuration(proxyBeanMethods = false)
public final class RedisRealtimeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisClusterConfig realtimeRedisClusterConfig(RealtimeProperties properties) {
		RealtimeProperties.Redis redis = properties.getRedis();
		RedisClusterConfig.Builder config = RedisClusterConfig.builder()
			.keyPrefix(redis.getKeyPrefix())
			.nodeTtl(redis.getNodeTtl())
			.statsInterval(redis.getStatsInterval())
			.publishQueueCapacity(redis.getPublishQueueSize())
			.publishBatchSize(redis.getPublishBatchSize())
			.commandTimeout(redis.getCommandTimeout())
			.bufferSize(properties.getBroadcastBufferSize());
		String nodeId = redis.getNodeId();
		if (nodeId != null && !nodeId.isBlank()) {
			config.nodeId(nodeId);
		}
		return config.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisConnections realtimeRedisConnections(ObjectProvider<LettuceConnectionFactory> lettuce,
			ObjectProvider<RedisConnectionFactory> any, RedisClusterConfig config) {
		LettuceConnectionFactory connectionFactory = lettuce.getIfUnique();
		if (connectionFactory == null) {
			throw new BroadcasterUnavailableException(BroadcasterType.REDIS, missingConnectionFactory(any));
		}
		return RedisUris.connections(connectionFactory, config);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisBroadcaster realtimeBroadcaster(RedisConnections connections, BroadcastThreads threads) {
		return new RedisBroadcaster(connections, threads.executor());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(PresenceDirectory.class)
	RedisPresence realtimeRedisPresence(RedisConnections connections, RedisBroadcaster broadcaster) {
		return new RedisPresence(connections, broadcaster);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(ChannelStats.class)
	RedisChannelStats realtimeChannelStats(RedisConnections connections, ObjectProvider<AppHubs> appHubs) {
		// What this node reports: the channels of every app's hub, each app's qualified.
		return new RedisChannelStats(connections, new AllAppsChannelStats(SingletonSupplier.of(appHubs::getObject)));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisConnectionCounts realtimeRedisConnectionCounts(RedisConnections connections,
			ConnectionAdmission admission) {
		return new RedisConnectionCounts(connections, admission::connectionsPerApp, admission::elsewhere);
	}

	@Bean
	SmartInitializingSingleton realtimeRedisBinding(Hub hub, RedisBroadcaster broadcaster,
			RedisConnections connections, ObjectProvider<AppHubs> appHubs) {
		return () -> {
			hub.onChannelLifecycle(broadcaster);
			// The user's channel names the app: terminate only that app's user.
			broadcaster.setUserTerminator(appHubs.getObject()::terminateUser);
			connections.start();
		};
	}

	private static String missingConnectionFactory(ObjectProvider<RedisConnectionFactory> any) {
		RedisConnectionFactory other = any.getIfUnique();
		if (other != null) {
			return "realtime.broadcaster=redis needs a LettuceConnectionFactory, but the application's "
					+ "RedisConnectionFactory is a " + other.getClass().getName()
					+ ": use the Lettuce client (spring.data.redis.client-type=lettuce)";
		}
		return "realtime.broadcaster=redis needs a single LettuceConnectionFactory bean (the Redis all nodes "
				+ "share), and there is none or several: add spring-boot-starter-data-redis and set "
				+ "spring.data.redis.url (or host and port), or define one LettuceConnectionFactory bean";
	}

}
