package dev.realtime.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.PresenceDirectory;
import dev.realtime.PresenceListener;
import dev.realtime.apps.AppNamespace;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.http.ConnectionTerminator;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.nats.NatsChannelStats;
import dev.realtime.nats.NatsPresence;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherEventHandler;
import dev.realtime.pusher.Realtime;
import dev.realtime.rabbitmq.RabbitBroadcaster;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisPresence;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Apps as tenants: the {@link AppHubs} holding the default app's hub (the {@link Hub},
 * {@link PusherEventHandler}, {@link Realtime} and {@link ChannelStats} beans) and building
 * every other app's hub when first needed, on the same engines seen through the app's
 * {@link AppNamespace}.
 */
@Configuration(proxyBeanMethods = false)
final class RealtimeAppsConfiguration {

	private static final String LETTUCE = "io.lettuce.core.RedisClient";

	private static final String NATS = "dev.realtime.nats.NatsBroadcaster";

	private static final String RABBIT = "dev.realtime.rabbitmq.RabbitBroadcaster";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	AppHubFactory realtimeAppHubFactory(AppRegistry apps, ChannelStats stats, HubConfig hubConfig,
			ProtocolSettings protocol, Broadcaster broadcaster, ChannelCache cache,
			ObjectProvider<JsonMapper> jsonMapper, ProtocolStats protocolStats,
			ObjectProvider<WebhookDeduplicator> deduplicator, RealtimeProperties properties) {
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::shared);
		return new AppHubFactory(hubConfig, properties.getPresence().getMaxMembers(), protocol, broadcaster, cache,
				mapper, protocolStats, cluster(hubConfig.presenceDirectory(), stats, broadcaster),
				new AppWebhooks(configuredEndpoints(properties, apps.defaultApp()), properties, mapper,
						deduplicator.getIfAvailable(() -> WebhookDeduplicator.SINGLE_NODE)));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	AppHubs realtimeAppHubs(AppRegistry apps, Hub hub, PusherEventHandler events, Realtime realtime,
			ChannelStats stats, ConnectionTerminator terminator, Broadcaster broadcaster, AppHubFactory factory,
			RealtimeProperties properties) {
		App defaultApp = apps.defaultApp();
		AppHub defaultHub = new AppHub(defaultApp, AppNamespace.DEFAULT, hub, events, realtime,
				AppNamespace.DEFAULT.stats(stats), terminator::terminate,
				defaultWebhooks(factory.webhooks(), defaultApp, hub, factory.cluster(), broadcaster, stats));
		return new AppHubs(apps, defaultHub, factory, properties.getAppHubs().getMaxApps(),
				properties.getAppHubs().getRefreshInterval());
	}

	/**
	 * The default app's own {@code webhooks} setting; its {@code realtime.webhooks.endpoints}
	 * are the {@code WebhookDispatcher} bean's.
	 */
	private static List<AutoCloseable> defaultWebhooks(@Nullable AppWebhooks webhooks, App app, Hub hub,
			AppHubFactory.Cluster cluster, Broadcaster broadcaster, ChannelStats stats) {
		if (webhooks == null) {
			return List.of();
		}
		Consumer<PresenceListener> clusterPresence = cluster.presenceEvents();
		Consumer<PresenceListener> presenceEvents = (clusterPresence != null)
				? (listener) -> clusterPresence.accept(AppNamespace.DEFAULT.presenceListener(listener))
				: hub::onPresence;
		AppWebhooks.Webhooks built = webhooks.build(app, AppNamespace.DEFAULT, hub, presenceEvents,
				AppNamespace.DEFAULT.broadcaster(broadcaster), AppNamespace.DEFAULT.stats(stats));
		return (built != null) ? List.of(built.dispatcher(), built.sender()) : List.of();
	}

	/**
	 * The {@code realtime.webhooks.endpoints} of apps other than the default one, by app id;
	 * all of them checked now, so a bad entry fails the startup rather than the first use of
	 * its app.
	 */
	private static Map<String, List<ConfiguredWebhookEndpoint>> configuredEndpoints(RealtimeProperties properties,
			App defaultApp) {
		Map<String, List<ConfiguredWebhookEndpoint>> endpoints = new HashMap<>();
		for (ConfiguredWebhookEndpoint endpoint : ConfiguredWebhookEndpoint.of(properties.getWebhooks())) {
			String appId = endpoint.appId();
			if (appId != null && !appId.equals(defaultApp.id())) {
				endpoints.computeIfAbsent(appId, (id) -> new ArrayList<>()).add(endpoint);
			}
		}
		return endpoints;
	}

	private static AppHubFactory.Cluster cluster(@Nullable PresenceDirectory presence, ChannelStats stats,
			Broadcaster broadcaster) {
		ChannelListener listener = (broadcaster instanceof ChannelListener channelListener) ? channelListener : null;
		ClassLoader classLoader = RealtimeAppsConfiguration.class.getClassLoader();
		AppHubFactory.Cluster cluster = new AppHubFactory.Cluster(presence, null, listener, null, null);
		// RabbitMQ carries events and terminations, Redis beside it presence and counts.
		if (ClassUtils.isPresent(LETTUCE, classLoader)) {
			cluster = RedisCluster.with(cluster, stats, broadcaster);
		}
		if (ClassUtils.isPresent(NATS, classLoader)) {
			cluster = NatsCluster.with(cluster, stats, broadcaster);
		}
		if (ClassUtils.isPresent(RABBIT, classLoader)) {
			cluster = RabbitCluster.with(cluster, broadcaster);
		}
		return cluster;
	}

	/**
	 * Kept apart so that the Redis classes are only loaded when Lettuce is present.
	 */
	private static final class RedisCluster {

		static AppHubFactory.Cluster with(AppHubFactory.Cluster cluster, ChannelStats stats, Broadcaster broadcaster) {
			Consumer<PresenceListener> presenceEvents = cluster.presenceEvents();
			if (cluster.presence() instanceof RedisPresence redisPresence) {
				presenceEvents = redisPresence::onClusterPresence;
			}
			BiConsumer<String, String> terminator = cluster.terminator();
			if (broadcaster instanceof RedisBroadcaster redisBroadcaster) {
				terminator = redisBroadcaster::terminateUserConnections;
			}
			return new AppHubFactory.Cluster(cluster.presence(),
					(stats instanceof RedisChannelStats) ? stats : cluster.stats(), cluster.channelListener(),
					presenceEvents, terminator);
		}

	}

	/**
	 * Kept apart so that the NATS engine is only loaded when it is present.
	 */
	private static final class NatsCluster {

		static AppHubFactory.Cluster with(AppHubFactory.Cluster cluster, ChannelStats stats, Broadcaster broadcaster) {
			Consumer<PresenceListener> presenceEvents = cluster.presenceEvents();
			if (cluster.presence() instanceof NatsPresence natsPresence) {
				presenceEvents = natsPresence::onClusterPresence;
			}
			BiConsumer<String, String> terminator = cluster.terminator();
			if (broadcaster instanceof NatsBroadcaster natsBroadcaster) {
				terminator = natsBroadcaster::terminateUserConnections;
			}
			return new AppHubFactory.Cluster(cluster.presence(),
					(stats instanceof NatsChannelStats) ? stats : cluster.stats(), cluster.channelListener(),
					presenceEvents, terminator);
		}

	}

	/**
	 * Kept apart so that the RabbitMQ engine is only loaded when it is present.
	 */
	private static final class RabbitCluster {

		static AppHubFactory.Cluster with(AppHubFactory.Cluster cluster, Broadcaster broadcaster) {
			if (broadcaster instanceof RabbitBroadcaster rabbitBroadcaster) {
				return new AppHubFactory.Cluster(cluster.presence(), cluster.stats(), cluster.channelListener(),
						cluster.presenceEvents(), rabbitBroadcaster::terminateUserConnections);
			}
			return cluster;
		}

	}

}
