package dev.realtime.pusher;

import java.util.Objects;

/**
 * One application's credentials: clients connect with the public key, the secret signs
 * channel authorizations and HTTP API requests.
 *
 * @param id the app id (used by the HTTP API)
 * @param key the public key (part of the WebSocket URL)
 * @param secret the secret
 */
public record App(String id, String key, String secret) {

	public App {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(secret, "secret");
		if (id.isEmpty() || key.isEmpty() || secret.isEmpty()) {
			throw new IllegalArgumentException("An app needs a non-empty id, key and secret");
		}
	}

	@Override
	public String toString() {
		// Never print the secret.
		return "App[id=" + this.id + ", key=" + this.key + "]";
	}

}
