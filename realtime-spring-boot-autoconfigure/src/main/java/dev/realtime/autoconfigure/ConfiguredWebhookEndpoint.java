package dev.realtime.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.realtime.http.WebhookEndpoint;
import dev.realtime.http.WebhookEventType;
import dev.realtime.pusher.App;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code realtime.webhooks.endpoints}, checked at startup, before the app
 * that signs its requests is looked up (another app's may only be known when its hub is
 * first built).
 *
 * @param url where webhooks are POSTed
 * @param appId the app whose events it receives, or {@code null} for the default app
 * @param events the event types it receives, or {@code null} for
 * {@code realtime.webhooks.events}
 * @param prefix channel name prefix it receives, or {@code null}
 * @param suffix channel name suffix it receives, or {@code null}
 * @param headers extra request headers, checked by {@link WebhookEndpoint#checkHeaders}
 */
record ConfiguredWebhookEndpoint(URI url, @Nullable String appId, @Nullable Set<WebhookEventType> events,
		@Nullable String prefix, @Nullable String suffix, Map<String, String> headers) {

	private static final String PROPERTY = "realtime.webhooks.endpoints";

	/**
	 * The configured endpoints, checked.
	 * @param webhooks the properties
	 * @return one per entry, in order
	 * @throws IllegalStateException naming the entry and property that cannot be used
	 */
	static List<ConfiguredWebhookEndpoint> of(RealtimeProperties.Webhooks webhooks) {
		List<ConfiguredWebhookEndpoint> endpoints = new ArrayList<>();
		List<RealtimeProperties.Webhooks.Endpoint> configured = webhooks.getEndpoints();
		for (int i = 0; i < configured.size(); i++) {
			RealtimeProperties.Webhooks.Endpoint endpoint = configured.get(i);
			String property = PROPERTY + "[" + i + "]";
			if (endpoint.getUrl() == null || endpoint.getUrl().isBlank()) {
				throw new IllegalStateException("Every entry of " + PROPERTY + " needs a url (" + property + ".url)");
			}
			URI url;
			try {
				url = URI.create(endpoint.getUrl().strip());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(property + ".url is not a URL: " + ex.getMessage());
			}
			try {
				WebhookEndpoint.checkHeaders(endpoint.getHeaders());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(property + ".headers: " + ex.getMessage());
			}
			Set<WebhookEventType> events = (endpoint.getEvents() != null) ? Set.copyOf(endpoint.getEvents()) : null;
			endpoints.add(new ConfiguredWebhookEndpoint(url, endpoint.getAppId(), events,
					endpoint.getFilter().getPrefix(), endpoint.getFilter().getSuffix(), Map.copyOf(endpoint.getHeaders())));
		}
		return endpoints;
	}

	/**
	 * The endpoint signed by an app.
	 * @param app the app ({@link #appId()}'s, or the default one)
	 * @param defaultEvents {@code realtime.webhooks.events}, used when it lists none
	 * @return the endpoint
	 */
	WebhookEndpoint toEndpoint(App app, Set<WebhookEventType> defaultEvents) {
		return new WebhookEndpoint(this.url, app, (this.events != null) ? this.events : defaultEvents, this.prefix,
				this.suffix, this.headers);
	}

	/**
	 * An endpoint of an app's own {@code webhooks} setting: the default events, every
	 * channel, no extra header.
	 * @param url the URL
	 * @param app the app
	 * @param defaultEvents {@code realtime.webhooks.events}
	 * @return the endpoint
	 */
	static WebhookEndpoint plain(URI url, App app, Set<WebhookEventType> defaultEvents) {
		return new WebhookEndpoint(url, app, defaultEvents, null, null, Map.of());
	}

	/**
	 * What a dispatcher serving endpoints must produce: every type one of them is sent.
	 * @param endpoints the endpoints
	 * @return the union of their event types
	 */
	static Set<WebhookEventType> events(Collection<WebhookEndpoint> endpoints) {
		Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
		endpoints.forEach((endpoint) -> events.addAll(endpoint.events()));
		return events;
	}

}
