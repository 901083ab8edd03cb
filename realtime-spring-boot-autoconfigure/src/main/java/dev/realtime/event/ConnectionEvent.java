package dev.realtime.event;

import java.util.Objects;

/**
 * Something that happened to one connection.
 */
public abstract class ConnectionEvent extends RealtimeEvent {

	private final String appId;

	private final String socketId;

	/**
	 * An event of one connection.
	 * @param appId the id of the app the connection belongs to
	 * @param socketId the connection's socket id
	 */
	protected ConnectionEvent(String appId, String socketId) {
		super(socketId);
		this.appId = Objects.requireNonNull(appId, "appId");
		this.socketId = socketId;
	}

	/**
	 * The app the connection belongs to.
	 * @return the app id
	 */
	public String getAppId() {
		return this.appId;
	}

	/**
	 * The connection's socket id (what pusher-js calls {@code connection.socket_id}).
	 * @return the socket id
	 */
	public String getSocketId() {
		return this.socketId;
	}

}
