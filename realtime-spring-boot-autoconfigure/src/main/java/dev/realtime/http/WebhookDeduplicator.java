package dev.realtime.http;

import java.time.Duration;

/**
 * Decides which node sends a webhook event when several nodes see the same change, so the
 * cluster sends it once: each node claims the event's key and only the node whose claim
 * wins sends it.
 */
@FunctionalInterface
public interface WebhookDeduplicator {

	/** For a single node: every claim wins. */
	WebhookDeduplicator SINGLE_NODE = (key, window) -> true;

	/**
	 * Claim an event.
	 * @param key identifies the change, the same on every node that sees it (for example
	 * {@code channel_vacated:presence-room})
	 * @param window how long a claim of the same key by another node counts as the same
	 * change
	 * @return {@code true} if this node should send the event
	 */
	boolean claim(String key, Duration window);

}
