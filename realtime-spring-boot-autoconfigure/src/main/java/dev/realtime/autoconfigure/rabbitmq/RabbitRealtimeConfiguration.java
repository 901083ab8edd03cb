package dev.realtime.autoconfigure.rabbitmq;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.BroadcasterUnavailableException;
import dev.realtime.autoconfigure.RabbitmqProperties;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.autoconfigure.RealtimeProperties.BroadcasterType;
import dev.realtime.autoconfigure.redis.RedisUris;
import dev.realtime.pusher.AllAppsChannelStats;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.BroadcastThreads;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.rabbitmq.RabbitBroadcaster;
import dev.realtime.rabbitmq.RabbitEngineConfig;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnectionCounts;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisPresence;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@code realtime.broadcaster=rabbitmq}: events over RabbitMQ (the {@link RabbitBroadcaster}
 * on the application's Spring AMQP {@link ConnectionFactory}, usually Spring Boot's from
 * {@code spring.rabbitmq.*}), and presence, cluster counts, app connection quotas, cache
 * channels and webhook de-duplication from Redis beside it ({@link RedisPresence},
 * {@link RedisChannelStats}, {@link RedisConnectionCounts}, over the application's
 * {@link LettuceConnectionFactory}). Every app shares them, each
 * app's channels qualified by its {@link dev.realtime.apps.AppNamespace}, as with Redis.
 * <p>
 * RabbitMQ has no store with compare-and-set and expiring entries, which deciding a
 * user's first and last connection across nodes and expiring a dead node's members need,
 * so without Redis the startup fails with a message saying so rather than giving each
 * node its own presence.
 */
@Configuration(proxyBeanMethods = false)
public final class RabbitRealtimeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RabbitEngineConfig realtimeRabbitEngineConfig(RealtimeProperties properties) {
		RabbitmqProperties rabbit = properties.getRabbitmq();
		RabbitEngineConfig.Builder config = RabbitEngineConfig.builder()
			.exchange(rabbit.getExchange())
			.nodeTtl(rabbit.getNodeTtl())
			.publishQueueCapacity(rabbit.getPublishQueueSize())
			.prefetch(rabbit.getPrefetch())
			.bufferSize(properties.getBroadcastBufferSize());
		String nodeId = rabbit.getNodeId();
		if (nodeId != null && !nodeId.isBlank()) {
			config.nodeId(nodeId);
		}
		return config.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RabbitBroadcaster realtimeBroadcaster(ObjectProvider<ConnectionFactory> connectionFactory, RabbitEngineConfig config,
			BroadcastThreads threads) {
		ConnectionFactory factory = connectionFactory.getIfUnique();
		if (factory == null) {
			throw new BroadcasterUnavailableException(BroadcasterType.RABBITMQ,
					"realtime.broadcaster=rabbitmq needs a single Spring AMQP ConnectionFactory bean, and there is "
							+ "none or several: add spring-boot-starter-amqp and set spring.rabbitmq.host (or "
							+ "addresses), or define one ConnectionFactory bean");
		}
		return new RabbitBroadcaster(factory, config, threads.executor());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisClusterConfig realtimeRedisClusterConfig(RealtimeProperties properties, RabbitEngineConfig rabbit) {
		RealtimeProperties.Redis redis = properties.getRedis();
		return RedisClusterConfig.builder()
			.keyPrefix(redis.getKeyPrefix())
			.nodeId(rabbit.nodeId())
			.nodeTtl(redis.getNodeTtl())
			.statsInterval(redis.getStatsInterval())
			.commandTimeout(redis.getCommandTimeout())
			.bufferSize(properties.getBroadcastBufferSize())
			.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisConnections realtimeRedisConnections(ObjectProvider<LettuceConnectionFactory> lettuce,
			RedisClusterConfig config) {
		LettuceConnectionFactory connectionFactory = lettuce.getIfUnique();
		if (connectionFactory == null) {
			throw new BroadcasterUnavailableException(BroadcasterType.RABBITMQ, RabbitBroadcasterRequirements.NO_REDIS);
		}
		return RedisUris.connections(connectionFactory, config);
	}

	@Bean(destroyMethod = "close")
	RedisPresenceLink realtimeRedisPresenceLink(RedisConnections connections, BroadcastThreads threads) {
		return new RedisPresenceLink(connections, threads);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(PresenceDirectory.class)
	RedisPresence realtimeRedisPresence(RedisConnections connections, RedisPresenceLink link) {
		return new RedisPresence(connections, link.broadcaster());
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
	SmartInitializingSingleton realtimeRabbitBinding(Hub hub, RabbitBroadcaster broadcaster,
			RedisConnections connections, RedisPresenceLink link, ObjectProvider<AppHubs> appHubs) {
		return () -> {
			hub.onChannelLifecycle(broadcaster);
			AppHubs hubs = appHubs.getObject();
			// The user's channel names the app: terminate only that app's user.
			broadcaster.setUserTerminator(hubs::terminateUser);
			link.relayTo(hubs);
			broadcaster.setPresenceStoreHealth(connections::isUp);
			connections.start();
			broadcaster.start();
		};
	}

}
