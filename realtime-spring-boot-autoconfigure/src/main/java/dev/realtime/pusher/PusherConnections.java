package dev.realtime.pusher;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The Pusher connections of this node, by socket id.
 */
public final class PusherConnections {

	private final ConcurrentHashMap<String, PusherConnection> bySocketId = new ConcurrentHashMap<>();

	void add(PusherConnection connection) {
		this.bySocketId.put(connection.socketId(), connection);
	}

	void remove(PusherConnection connection) {
		this.bySocketId.remove(connection.socketId(), connection);
	}

	/**
	 * A connection of this node.
	 * @param socketId the socket id
	 * @return the connection, or {@code null} if it is not connected here
	 */
	public @Nullable PusherConnection find(String socketId) {
		return this.bySocketId.get(socketId);
	}

	/**
	 * How many connections completed the handshake on this node.
	 * @return the count
	 */
	public int size() {
		return this.bySocketId.size();
	}

	Collection<PusherConnection> all() {
		return this.bySocketId.values();
	}

}
