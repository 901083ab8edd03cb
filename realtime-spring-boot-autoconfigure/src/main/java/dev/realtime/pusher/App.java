package dev.realtime.pusher;

import java.util.Objects;

/**
 * One application: its credentials (clients connect with the public key, the secret signs
 * channel authorizations and HTTP API requests) and its settings. Apps are tenants: each
 * has its own channels, members and counts, and sees nothing of another app's.
 *
 * @param id the app id (used by the HTTP API)
 * @param key the public key (part of the WebSocket URL)
 * @param secret the secret
 * @param settings what the app may do
 */
public record App(String id, String key, String secret, AppSettings settings) {

	public App {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(secret, "secret");
		Objects.requireNonNull(settings, "settings");
		if (id.isEmpty() || key.isEmpty() || secret.isEmpty()) {
			throw new IllegalArgumentException("An app needs a non-empty id, key and secret");
		}
	}

	/**
	 * An enabled app with the server's limits.
	 * @param id the app id
	 * @param key the public key
	 * @param secret the secret
	 */
	public App(String id, String key, String secret) {
		this(id, key, secret, AppSettings.DEFAULTS);
	}

	@Override
	public String toString() {
		// Never print the secret.
		return "App[id=" + this.id + ", key=" + this.key + "]";
	}

}
