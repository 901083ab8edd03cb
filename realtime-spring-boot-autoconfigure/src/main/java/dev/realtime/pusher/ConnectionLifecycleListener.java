package dev.realtime.pusher;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Told what happens to this node's Pusher connections: opened, closed, subscribed,
 * unsubscribed, signed in, client event relayed. Called inline on the thread handling the
 * connection (a WebSocket reader, a Netty inbound thread), after the change took effect
 * and outside the hub's locks; an implementation must return at once and never throw
 * (hand the work to another thread, as {@code dev.realtime.event.ApplicationEventRelay}
 * does).
 */
public interface ConnectionLifecycleListener {

	/** A listener that does nothing. */
	ConnectionLifecycleListener NONE = new ConnectionLifecycleListener() {
	};

	/**
	 * A connection was accepted and greeted.
	 * @param connection the connection
	 */
	default void opened(PusherConnection connection) {
	}

	/**
	 * A connection closed.
	 * @param connection the connection
	 * @param closeCode the WebSocket close code
	 * @param channels the channels it was subscribed to
	 */
	default void closed(PusherConnection connection, int closeCode, Set<String> channels) {
	}

	/**
	 * A connection joined a channel it was not on.
	 * @param connection the connection
	 * @param channel the channel
	 * @param memberId its member id on a presence channel, else {@code null}
	 */
	default void subscribed(PusherConnection connection, String channel, @Nullable String memberId) {
	}

	/**
	 * A connection left a channel with {@code pusher:unsubscribe}.
	 * @param connection the connection
	 * @param channel the channel
	 */
	default void unsubscribed(PusherConnection connection, String channel) {
	}

	/**
	 * A connection signed in.
	 * @param connection the connection
	 * @param userId the user id
	 */
	default void signedIn(PusherConnection connection, String userId) {
	}

	/**
	 * A client event from the connection was published.
	 * @param connection the sender
	 * @param channel the channel
	 * @param event the event name
	 * @param data the data as published
	 * @param memberId the sender's member id on a presence channel, else {@code null}
	 */
	default void clientEvent(PusherConnection connection, String channel, String event, String data,
			@Nullable String memberId) {
	}

	/**
	 * One listener telling several, in order; an exception from one is logged (at most
	 * every ten seconds) and does not keep the others from being told, nor the server from
	 * going on.
	 * @param listeners the listeners
	 * @return {@link #NONE} for none
	 */
	static ConnectionLifecycleListener of(List<? extends ConnectionLifecycleListener> listeners) {
		return listeners.isEmpty() ? NONE : new GuardedLifecycleListeners(listeners);
	}

}
