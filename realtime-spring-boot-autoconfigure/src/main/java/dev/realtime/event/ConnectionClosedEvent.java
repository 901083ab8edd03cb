package dev.realtime.event;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A connection closed, whoever closed it. Its subscriptions ended with it: no
 * {@link ChannelUnsubscribedEvent} is published for them; {@link #getChannels()} lists
 * them.
 */
public final class ConnectionClosedEvent extends ConnectionEvent {

	private final @Nullable String userId;

	private final int closeCode;

	private final Set<String> channels;

	/**
	 * A connection closed.
	 * @param appId the app
	 * @param socketId the socket id
	 * @param userId the user it was signed in as, or {@code null}
	 * @param closeCode the WebSocket close code
	 * @param channels the channels it was subscribed to
	 */
	public ConnectionClosedEvent(String appId, String socketId, @Nullable String userId, int closeCode,
			Set<String> channels) {
		super(appId, socketId);
		this.userId = userId;
		this.closeCode = closeCode;
		this.channels = Set.copyOf(channels);
	}

	/**
	 * The user the connection was signed in as ({@code pusher.signin()}).
	 * @return the user id, or {@code null} if it never signed in
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	/**
	 * The WebSocket close code: the server's when it closed the connection (4009 terminated,
	 * 4100 too slow, 4200 shutting down, 4201 no pong, ...), the client's when the client
	 * closed it (1000 for {@code pusher.disconnect()}), 1006 when the socket dropped without
	 * a close frame.
	 * @return the close code
	 */
	public int getCloseCode() {
		return this.closeCode;
	}

	/**
	 * The channels the connection was subscribed to when it closed.
	 * @return the channel names
	 */
	public Set<String> getChannels() {
		return this.channels;
	}

	@Override
	public String toString() {
		return "ConnectionClosedEvent[" + getSocketId() + ", code " + this.closeCode + "]";
	}

}
