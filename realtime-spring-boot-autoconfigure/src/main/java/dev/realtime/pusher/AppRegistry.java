package dev.realtime.pusher;

import org.jspecify.annotations.Nullable;

/**
 * Finds the applications clients may connect to. Declare a bean of this type to serve
 * many apps (from a database, say); by default the apps come from the {@code realtime.apps}
 * properties.
 */
public interface AppRegistry {

	/**
	 * The app a WebSocket connection asks for.
	 * @param key the key from the URL
	 * @return the app, or {@code null} if unknown (the connection is closed with 4001)
	 */
	@Nullable App findByKey(String key);

	/**
	 * The app an HTTP API request names.
	 * @param id the app id
	 * @return the app, or {@code null} if unknown
	 */
	@Nullable App findById(String id);

	/**
	 * The app the auth endpoints sign for when the socket is not connected to this node (so
	 * its app cannot be looked up).
	 * @return the default app
	 */
	App defaultApp();

}
