package dev.realtime.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import dev.realtime.http.WebhookSettings;
import dev.realtime.pusher.App;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the webhooks of one app's hub: a sender to the app's receivers (its
 * {@code webhooks} setting, which get {@code realtime.webhooks.events}, plus the
 * {@code realtime.webhooks.endpoints} naming its id, each with its own events, filter and
 * headers) signed with its credentials, and a dispatcher watching only its hub and its channels in
 * the shared engines. Claims of the cluster's deduplicator carry the app's namespace, so
 * two apps' changes of channels with the same name are two events.
 */
final class AppWebhooks {

	private final Map<String, List<ConfiguredWebhookEndpoint>> configuredEndpoints;

	private final WebhookSettings settings;

	private final Set<WebhookEventType> events;

	private final Duration debounce;

	private final Duration subscriptionCountInterval;

	private final JsonMapper jsonMapper;

	private final WebhookDeduplicator deduplicator;

	AppWebhooks(Map<String, List<ConfiguredWebhookEndpoint>> configuredEndpoints, RealtimeProperties realtime, JsonMapper jsonMapper,
			WebhookDeduplicator deduplicator) {
		RealtimeProperties.Webhooks properties = realtime.getWebhooks();
		this.configuredEndpoints = Map.copyOf(configuredEndpoints);
		this.settings = RealtimeWebhookConfiguration.settings(realtime);
		this.events = Set.copyOf(properties.getEvents());
		this.debounce = properties.getDebounce();
		this.subscriptionCountInterval = properties.getSubscriptionCountInterval();
		this.jsonMapper = jsonMapper;
		this.deduplicator = deduplicator;
	}

	/**
	 * The dispatcher and sender of an app's webhooks, or none when it has no receiver.
	 * @param app the app
	 * @param namespace its namespace
	 * @param hub its hub
	 * @param presenceEvents registers a listener of its member changes
	 * @param broadcaster its view of the broadcaster
	 * @param stats its channel statistics
	 * @return the dispatcher (which closes nothing else) and the sender, or {@code null}
	 */
	@Nullable Webhooks build(App app, AppNamespace namespace, Hub hub, Consumer<PresenceListener> presenceEvents,
			Broadcaster broadcaster, ChannelStats stats) {
		List<WebhookEndpoint> endpoints = new ArrayList<>();
		for (URI url : app.settings().webhooks()) {
			endpoints.add(ConfiguredWebhookEndpoint.plain(url, app, this.events));
		}
		for (ConfiguredWebhookEndpoint endpoint : this.configuredEndpoints.getOrDefault(app.id(), List.of())) {
			endpoints.add(endpoint.toEndpoint(app, this.events));
		}
		if (endpoints.isEmpty()) {
			return null;
		}
		HttpWebhookSender sender = new HttpWebhookSender(endpoints, this.settings, this.jsonMapper, Clock.systemUTC());
		WebhookDeduplicator claims = (key, window) -> this.deduplicator.claim(namespace.qualify(key), window);
		WebhookDispatcher dispatcher = new WebhookDispatcher(hub, presenceEvents, broadcaster, stats, sender, claims,
				ConfiguredWebhookEndpoint.events(endpoints), this.debounce, this.subscriptionCountInterval,
				this.settings);
		return new Webhooks(dispatcher, sender);
	}

	/**
	 * One app's webhook parts.
	 * @param dispatcher turns its hub's changes into events
	 * @param sender delivers them
	 */
	record Webhooks(WebhookDispatcher dispatcher, HttpWebhookSender sender) {
	}

}
