package dev.realtime.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.http.HttpWebhookSender;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.http.WebhookDispatcher;
import dev.realtime.http.WebhookEndpoint;
import dev.realtime.http.WebhookSender;
import dev.realtime.http.WebhookSettings;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhooks, when {@code realtime.webhooks.endpoints} names at least one receiver: the
 * {@link WebhookDispatcher} watching the hub, the {@link WebhookSender} delivering over
 * HTTP, and the {@link WebhookDeduplicator} (single node unless one is defined).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "realtime.webhooks.endpoints[0].url")
final class RealtimeWebhookConfiguration {

	/** Requests in flight at most, retries included. */
	private static final int MAX_CONCURRENT_REQUESTS = 16;

	@Bean
	@ConditionalOnMissingBean
	WebhookDeduplicator realtimeWebhookDeduplicator() {
		return WebhookDeduplicator.SINGLE_NODE;
	}

	@Bean
	@ConditionalOnMissingBean(WebhookSender.class)
	HttpWebhookSender realtimeWebhookSender(AppRegistry apps, RealtimeProperties properties,
			ObjectProvider<JsonMapper> jsonMapper) {
		RealtimeProperties.Webhooks webhooks = properties.getWebhooks();
		List<WebhookEndpoint> endpoints = new ArrayList<>();
		for (RealtimeProperties.Webhooks.Endpoint endpoint : webhooks.getEndpoints()) {
			if (endpoint.getUrl() == null || endpoint.getUrl().isBlank()) {
				throw new IllegalStateException("Every entry of realtime.webhooks.endpoints needs a url");
			}
			App app = (endpoint.getAppId() != null) ? apps.findById(endpoint.getAppId()) : apps.defaultApp();
			if (app == null) {
				throw new IllegalStateException("realtime.webhooks.endpoints: unknown app-id " + endpoint.getAppId());
			}
			endpoints.add(new WebhookEndpoint(URI.create(endpoint.getUrl()), app));
		}
		WebhookSettings settings = new WebhookSettings(webhooks.getQueueCapacity(), webhooks.getMaxAttempts(),
				webhooks.getInitialBackoff(), webhooks.getMaxBackoff(), webhooks.getTimeout(),
				webhooks.getMaxEventsPerRequest(), MAX_CONCURRENT_REQUESTS);
		return new HttpWebhookSender(endpoints, settings, jsonMapper.getIfAvailable(JsonMapper::shared),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	WebhookDispatcher realtimeWebhookDispatcher(Hub hub, Broadcaster broadcaster, ChannelStats stats,
			WebhookSender sender, WebhookDeduplicator deduplicator, RealtimeProperties properties) {
		RealtimeProperties.Webhooks webhooks = properties.getWebhooks();
		return new WebhookDispatcher(hub, broadcaster, stats, sender, deduplicator, webhooks.getEvents(),
				webhooks.getDebounce(), webhooks.getSubscriptionCountInterval());
	}

}
