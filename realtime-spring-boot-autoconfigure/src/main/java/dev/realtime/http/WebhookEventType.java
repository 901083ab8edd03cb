package dev.realtime.http;

/**
 * The webhook events, named as Pusher names them in the {@code name} field.
 */
public enum WebhookEventType {

	/** A channel got its first subscriber. */
	CHANNEL_OCCUPIED("channel_occupied"),

	/** A channel lost its last subscriber (debounced). */
	CHANNEL_VACATED("channel_vacated"),

	/** A user joined a presence channel (first connection). */
	MEMBER_ADDED("member_added"),

	/** A user left a presence channel (last connection; debounced). */
	MEMBER_REMOVED("member_removed"),

	/** A connection sent a client event. */
	CLIENT_EVENT("client_event"),

	/** A connection subscribed to a cache channel that had no cached event. */
	CACHE_MISS("cache_miss"),

	/** A channel's subscription count changed. */
	SUBSCRIPTION_COUNT("subscription_count");

	private final String wireName;

	WebhookEventType(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The name in the webhook body.
	 * @return e.g. {@code channel_occupied}
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Whether this is a presence event ({@code member_added}, {@code member_removed}):
	 * those have queues of their own, which other events cannot fill.
	 * @return whether a member event
	 */
	public boolean isPresence() {
		return this == MEMBER_ADDED || this == MEMBER_REMOVED;
	}

}
