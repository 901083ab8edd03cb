package dev.realtime.event;

/**
 * A connection was accepted and greeted with {@code pusher:connection_established}.
 */
public final class ConnectionOpenedEvent extends ConnectionEvent {

	/**
	 * A connection opened.
	 * @param appId the app
	 * @param socketId the socket id
	 */
	public ConnectionOpenedEvent(String appId, String socketId) {
		super(appId, socketId);
	}

	@Override
	public String toString() {
		return "ConnectionOpenedEvent[" + getSocketId() + "]";
	}

}
