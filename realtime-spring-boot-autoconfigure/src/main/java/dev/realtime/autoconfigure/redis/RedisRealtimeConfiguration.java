package dev.realtime.autoconfigure.redis;

import dev.realtime.ChannelStats;
import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisPresence;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis side of {@code realtime.broadcaster=redis}: this node's Redis connections (to
 * the server of the application's {@link LettuceConnectionFactory}), the
 * {@link RedisBroadcaster}, the {@link RedisPresence} directory and the cluster-wide
 * {@link ChannelStats}.
 * <p>
 * Meant to be imported by the realtime auto-configuration when the Redis broadcaster is
 * chosen. The hub bean must take the presence directory
 * ({@code HubConfig.builder().presenceDirectory(...)}) and the application's publishing
 * path must bridge the broadcaster to the hub ({@code subscribeAll}); this configuration
 * binds the rest (channel lifecycle, user termination) and opens the connections once
 * every singleton exists. A {@link RedisClusterConfig} bean, if present, supplies the
 * settings (key prefix, node id, TTLs).
 */
@Configuration(proxyBeanMethods = false)
public final class RedisRealtimeConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisConnections realtimeRedisConnections(LettuceConnectionFactory connectionFactory,
			ObjectProvider<RedisClusterConfig> config) {
		return new RedisConnections(RedisUris.from(connectionFactory),
				config.getIfAvailable(() -> RedisClusterConfig.builder().build()));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisBroadcaster realtimeRedisBroadcaster(RedisConnections connections) {
		return new RedisBroadcaster(connections);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisPresence realtimeRedisPresence(RedisConnections connections, RedisBroadcaster broadcaster) {
		return new RedisPresence(connections, broadcaster);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisChannelStats realtimeRedisChannelStats(RedisConnections connections, Hub hub) {
		return new RedisChannelStats(connections, ChannelStats.of(hub));
	}

	@Bean
	SmartInitializingSingleton realtimeRedisBinding(Hub hub, RedisBroadcaster broadcaster,
			RedisConnections connections) {
		return () -> {
			hub.onChannelLifecycle(broadcaster);
			broadcaster.setUserTerminator((userId) -> hub.disconnectUser(userId, CloseReason.TERMINATED));
			connections.start();
		};
	}

}
