package dev.realtime.http;

import java.net.URI;
import java.util.Objects;

import dev.realtime.pusher.App;

/**
 * A webhook receiver and the app whose credentials sign what it is sent.
 *
 * @param url where webhooks are POSTed
 * @param app signs them ({@code X-Pusher-Key}, {@code X-Pusher-Signature})
 */
public record WebhookEndpoint(URI url, App app) {

	public WebhookEndpoint {
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(app, "app");
	}

}
