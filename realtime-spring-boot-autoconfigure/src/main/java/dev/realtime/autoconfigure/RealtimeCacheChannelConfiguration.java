package dev.realtime.autoconfigure;

import java.time.Clock;

import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.MemoryChannelCache;
import dev.realtime.http.WebhookDispatcher;
import dev.realtime.nats.NatsChannelCache;
import dev.realtime.nats.NatsConnection;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.redis.RedisChannelCache;
import dev.realtime.redis.RedisConnections;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cache channels: the {@link ChannelCache} keeping each cache channel's last event (in
 * Redis when the node has {@link RedisConnections}, in NATS when it has a
 * {@link NatsConnection}, else in memory) and the
 * {@link CacheChannels} the protocol handler asks what to send new subscribers.
 */
@Configuration(proxyBeanMethods = false)
final class RealtimeCacheChannelConfiguration {

	/**
	 * The cache of a Redis cluster, shared by the nodes.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.lettuce.core.RedisClient")
	@ConditionalOnBean(RedisConnections.class)
	static class RedisChannelCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ChannelCache realtimeChannelCache(RedisConnections connections, RealtimeProperties properties) {
			return new RedisChannelCache(connections, properties.getCache().getTtl());
		}

	}

	/**
	 * The cache of a NATS cluster, in a key-value bucket shared by the nodes.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "dev.realtime.nats.NatsConnection")
	@ConditionalOnBean(NatsConnection.class)
	static class NatsChannelCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ChannelCache realtimeChannelCache(NatsConnection connection, RealtimeProperties properties) {
			return new NatsChannelCache(connection, properties.getCache().getTtl());
		}

	}

	@Bean
	@ConditionalOnMissingBean
	ChannelCache realtimeChannelCache(RealtimeProperties properties) {
		return new MemoryChannelCache(properties.getCache().getTtl(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	CacheChannels realtimeCacheChannels(ChannelCache cache, ObjectProvider<WebhookDispatcher> webhooks) {
		return new CacheChannels(cache,
				(channel) -> webhooks.ifAvailable((dispatcher) -> dispatcher.cacheMiss(channel)));
	}

}
