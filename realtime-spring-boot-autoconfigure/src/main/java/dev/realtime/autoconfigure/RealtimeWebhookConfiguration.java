package dev.realtime.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.PresenceListener;
import dev.realtime.apps.AppNamespace;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.http.HttpWebhookSender;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.http.WebhookDispatcher;
import dev.realtime.http.WebhookEndpoint;
import dev.realtime.http.WebhookEventType;
import dev.realtime.http.WebhookMetrics;
import dev.realtime.http.WebhookSender;
import dev.realtime.http.WebhookSettings;
import dev.realtime.nats.NatsConnection;
import dev.realtime.nats.NatsPresence;
import dev.realtime.nats.NatsWebhookClaims;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisPresence;
import dev.realtime.redis.RedisWebhookDeduplicator;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Webhooks. The {@link WebhookDeduplicator} (Redis {@code SET NX} when the node has
 * {@link RedisConnections}, a NATS key-value {@code create} when it has a
 * {@link NatsConnection}, else single node) always, for every app's webhooks; and, when
 * {@code realtime.webhooks.endpoints} names at least one receiver, the default app's
 * {@link WebhookDispatcher} watching its hub and the {@link WebhookSender} delivering to
 * the endpoints of the default app over HTTP. Member changes come from the Redis or NATS
 * presence directory (once per cluster) when the hub uses one. Every view of the shared
 * engines is the default app's ({@link AppNamespace#DEFAULT}), so no other app's channel
 * is reported; the other apps' webhooks are built with their hubs ({@link AppWebhooks}).
 */
@Configuration(proxyBeanMethods = false)
final class RealtimeWebhookConfiguration {

	private static final String LETTUCE = "io.lettuce.core.RedisClient";

	private static final String NATS = "dev.realtime.nats.NatsPresence";

	/** Requests in flight at most, retries included. */
	private static final int MAX_CONCURRENT_REQUESTS = 16;

	@Bean
	@ConditionalOnMissingBean
	WebhookDeduplicator realtimeWebhookDeduplicator() {
		return WebhookDeduplicator.SINGLE_NODE;
	}

	static WebhookSettings settings(RealtimeProperties properties) {
		RealtimeProperties.Webhooks webhooks = properties.getWebhooks();
		return new WebhookSettings(webhooks.getQueueCapacity(), webhooks.getPresenceQueueCapacity(),
				webhooks.getMaxAttempts(), webhooks.getInitialBackoff(), webhooks.getMaxBackoff(),
				webhooks.getTimeout(), webhooks.getMaxEventsPerRequest(), MAX_CONCURRENT_REQUESTS,
				properties.getShutdownTimeout());
	}

	/**
	 * The default app's webhooks to {@code realtime.webhooks.endpoints}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "realtime.webhooks.endpoints[0].url")
	static class DefaultAppWebhooksConfiguration {

		@Bean
		@ConditionalOnMissingBean(WebhookSender.class)
		HttpWebhookSender realtimeWebhookSender(AppRegistry apps, RealtimeProperties properties,
				ObjectProvider<JsonMapper> jsonMapper) {
			return new HttpWebhookSender(defaultAppEndpoints(apps, properties), settings(properties),
					jsonMapper.getIfAvailable(JsonMapper::shared), Clock.systemUTC());
		}

		@Bean
		@ConditionalOnMissingBean
		WebhookDispatcher realtimeWebhookDispatcher(Hub hub, Broadcaster broadcaster, ChannelStats stats,
				WebhookSender sender, WebhookDeduplicator deduplicator, AppRegistry apps,
				RealtimeProperties properties) {
			RealtimeProperties.Webhooks webhooks = properties.getWebhooks();
			List<WebhookEndpoint> endpoints = defaultAppEndpoints(apps, properties);
			// What some endpoint asked for, even beyond realtime.webhooks.events; the sender
			// gives each endpoint its own. Without an endpoint of the default app (a sender
			// bean of the application's own) the global events, as before.
			Set<WebhookEventType> events = endpoints.isEmpty() ? webhooks.getEvents()
					: ConfiguredWebhookEndpoint.events(endpoints);
			return new WebhookDispatcher(hub, presenceEvents(hub), AppNamespace.DEFAULT.broadcaster(broadcaster),
					AppNamespace.DEFAULT.stats(stats), sender, deduplicator, events, webhooks.getDebounce(),
					webhooks.getSubscriptionCountInterval(), settings(properties));
		}

		/** The {@code realtime.webhooks.endpoints} of the default app, checked. */
		private static List<WebhookEndpoint> defaultAppEndpoints(AppRegistry apps, RealtimeProperties properties) {
			RealtimeProperties.Webhooks webhooks = properties.getWebhooks();
			App defaultApp = apps.defaultApp();
			List<WebhookEndpoint> endpoints = new ArrayList<>();
			for (ConfiguredWebhookEndpoint endpoint : ConfiguredWebhookEndpoint.of(webhooks)) {
				App app = (endpoint.appId() != null) ? apps.findById(endpoint.appId()) : defaultApp;
				if (app == null) {
					throw new IllegalStateException("realtime.webhooks.endpoints: unknown app-id " + endpoint.appId());
				}
				// Another app's endpoints hear that app's hub only (AppWebhooks).
				if (app.id().equals(defaultApp.id())) {
					endpoints.add(endpoint.toEndpoint(app, webhooks.getEvents()));
				}
			}
			return endpoints;
		}

		/**
		 * Webhook delivery meters, bound when Micrometer is in use.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
		static class WebhookMetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "realtimeWebhookMetrics")
			MeterBinder realtimeWebhookMetrics(ObjectProvider<HttpWebhookSender> sender,
					ObjectProvider<WebhookDispatcher> dispatcher) {
				// Resolved when bound: this configuration is processed before the sender's bean.
				return (registry) -> sender.ifAvailable(
						(available) -> new WebhookMetrics(available, dispatcher.getIfAvailable()).bindTo(registry));
			}

		}

	}

	/** Member changes from the cluster's presence directory when there is one, else the hub's. */
	private static Consumer<PresenceListener> presenceEvents(Hub hub) {
		if (ClassUtils.isPresent(LETTUCE, RealtimeWebhookConfiguration.class.getClassLoader())) {
			Consumer<PresenceListener> cluster = RedisPresenceEvents.of(hub);
			if (cluster != null) {
				return cluster;
			}
		}
		if (ClassUtils.isPresent(NATS, RealtimeWebhookConfiguration.class.getClassLoader())) {
			Consumer<PresenceListener> cluster = NatsPresenceEvents.of(hub);
			if (cluster != null) {
				return cluster;
			}
		}
		return hub::onPresence;
	}

	/**
	 * The webhook deduplicator of a Redis cluster: one node sends each event.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = LETTUCE)
	@ConditionalOnBean(RedisConnections.class)
	static class RedisWebhookDeduplicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebhookDeduplicator realtimeWebhookDeduplicator(RedisConnections connections) {
			return new RedisWebhookDeduplicator(connections);
		}

	}

	/**
	 * The webhook deduplicator of a NATS cluster: the first node to create the event's key
	 * sends it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = NATS)
	@ConditionalOnBean(NatsConnection.class)
	static class NatsWebhookDeduplicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebhookDeduplicator realtimeWebhookDeduplicator(NatsConnection connection, RealtimeProperties properties) {
			return new NatsWebhookClaims(connection, properties.getWebhooks().getDebounce())::claim;
		}

	}

	/**
	 * Kept apart so that {@link NatsPresence} is only loaded when the NATS engine is present.
	 */
	private static final class NatsPresenceEvents {

		/** The default app's member changes of the whole cluster. */
		static @Nullable Consumer<PresenceListener> of(Hub hub) {
			if (hub.config().presenceDirectory() instanceof NatsPresence presence) {
				return (listener) -> presence.onClusterPresence(AppNamespace.DEFAULT.presenceListener(listener));
			}
			return null;
		}

	}

	/**
	 * Kept apart so that {@link RedisPresence} is only loaded when Lettuce is present.
	 */
	private static final class RedisPresenceEvents {

		/** The default app's member changes of the whole cluster. */
		static @Nullable Consumer<PresenceListener> of(Hub hub) {
			if (hub.config().presenceDirectory() instanceof RedisPresence presence) {
				return (listener) -> presence.onClusterPresence(AppNamespace.DEFAULT.presenceListener(listener));
			}
			return null;
		}

	}

}
