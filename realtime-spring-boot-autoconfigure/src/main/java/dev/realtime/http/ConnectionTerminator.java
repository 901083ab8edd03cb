package dev.realtime.http;

import dev.realtime.CloseReason;
import dev.realtime.Hub;

/**
 * Closes every connection of a signed-in user, wherever it is: what
 * {@code POST /apps/{id}/users/{user_id}/terminate_connections} calls. On one node the
 * hub does it; in a cluster the broadcaster carries the request to every node.
 */
@FunctionalInterface
public interface ConnectionTerminator {

	/**
	 * Close every connection the user signed in on (pusher-js {@code signin()}), with close
	 * code 4009.
	 * @param userId the user id
	 */
	void terminate(String userId);

	/**
	 * A terminator for a single node: closes the user's connections on this hub.
	 * @param hub the hub
	 * @return the terminator
	 */
	static ConnectionTerminator local(Hub hub) {
		return (userId) -> hub.disconnectUser(userId, CloseReason.TERMINATED);
	}

}
