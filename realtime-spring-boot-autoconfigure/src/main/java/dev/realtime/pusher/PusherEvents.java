package dev.realtime.pusher;

/**
 * Names of the protocol's own events.
 */
public final class PusherEvents {

	/** Server to client: the connection is ready, with its socket id. */
	public static final String CONNECTION_ESTABLISHED = "pusher:connection_established";

	/** Both ways: are you there? */
	public static final String PING = "pusher:ping";

	/** Both ways: the answer to a ping. */
	public static final String PONG = "pusher:pong";

	/** Server to client: something went wrong. */
	public static final String ERROR = "pusher:error";

	/** Client to server: join a channel. */
	public static final String SUBSCRIBE = "pusher:subscribe";

	/** Client to server: leave a channel. */
	public static final String UNSUBSCRIBE = "pusher:unsubscribe";

	/** Client to server: sign in as a user. */
	public static final String SIGNIN = "pusher:signin";

	/** Server to client: the sign-in worked. */
	public static final String SIGNIN_SUCCESS = "pusher:signin_success";

	/** Server to client: a subscription was refused. */
	public static final String SUBSCRIPTION_ERROR = "pusher:subscription_error";

	/** Server to client: a subscription worked (with the roster for presence channels). */
	public static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";

	/** Server to client: a user joined a presence channel. */
	public static final String MEMBER_ADDED = "pusher_internal:member_added";

	/** Server to a signed-in client: users on its watchlist came online or went offline. */
	public static final String WATCHLIST_EVENTS = "pusher_internal:watchlist_events";

	/** Server to client: a user left a presence channel. */
	public static final String MEMBER_REMOVED = "pusher_internal:member_removed";

	/** Server to client: a new subscriber of a cache channel, which has no recent event. */
	public static final String CACHE_MISS = "pusher:cache_miss";

	/** Prefix of the events clients send to each other. */
	public static final String CLIENT_EVENT_PREFIX = "client-";

	private PusherEvents() {
	}

}
