package dev.realtime.pusher;

import java.time.Duration;
import java.util.Objects;

/**
 * The protocol's limits and timeouts.
 *
 * @param activityTimeout silence after which the server pings a connection (and the
 * activity timeout told to clients)
 * @param pongTimeout how long a ping may go unanswered before the connection is closed
 * with 4201
 * @param maxMessageSize largest message a client may send, in characters
 * @param maxUserInfoSize largest presence {@code user_info}, in UTF-8 bytes
 * @param clientEventsEnabled whether clients may send client events
 * @param clientEventRateLimit most client events per connection and second
 * @param watchlists whether signed-in users go online for their watchers and their own
 * watchlists are watched
 */
public record ProtocolSettings(Duration activityTimeout, Duration pongTimeout, int maxMessageSize,
		int maxUserInfoSize, boolean clientEventsEnabled, int clientEventRateLimit, boolean watchlists) {

	/** Longest user id in presence channel data, as Pusher allows. */
	public static final int MAX_USER_ID_LENGTH = 128;

	/** Most user ids in a watchlist, as Pusher allows. */
	public static final int MAX_WATCHLIST_SIZE = 100;

	/** Longest event name. */
	public static final int MAX_EVENT_NAME_LENGTH = 200;

	public ProtocolSettings {
		Objects.requireNonNull(activityTimeout, "activityTimeout");
		Objects.requireNonNull(pongTimeout, "pongTimeout");
		if (activityTimeout.toSeconds() < 1 || pongTimeout.isNegative() || pongTimeout.isZero()) {
			throw new IllegalArgumentException("activityTimeout must be at least 1s and pongTimeout positive");
		}
		if (maxMessageSize < 1 || maxUserInfoSize < 1 || clientEventRateLimit < 1) {
			throw new IllegalArgumentException("Sizes and the client event rate limit must be positive");
		}
	}

	/**
	 * The defaults: Pusher's 120 s activity timeout, 30 s pong timeout, 10 KB messages,
	 * 1 KB user info, client events on at 10 per second, watchlists on.
	 * @return the defaults
	 */
	public static ProtocolSettings defaults() {
		return new ProtocolSettings(Duration.ofSeconds(120), Duration.ofSeconds(30), 10 * 1024, 1024, true, 10, true);
	}

}
