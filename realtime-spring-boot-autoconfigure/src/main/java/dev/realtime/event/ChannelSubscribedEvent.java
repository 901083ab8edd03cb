package dev.realtime.event;

import org.jspecify.annotations.Nullable;

/**
 * A connection joined a channel (the server confirmed it with
 * {@code pusher_internal:subscription_succeeded}); not published for a subscription the
 * connection already had, nor for the internal {@code #server-to-user-} channels.
 */
public final class ChannelSubscribedEvent extends ConnectionEvent {

	private final String channel;

	private final @Nullable String userId;

	/**
	 * A connection subscribed.
	 * @param appId the app
	 * @param socketId the socket id
	 * @param channel the channel
	 * @param userId the member id on a presence channel, else the signed-in user, or
	 * {@code null}
	 */
	public ChannelSubscribedEvent(String appId, String socketId, String channel, @Nullable String userId) {
		super(appId, socketId);
		this.channel = channel;
		this.userId = userId;
	}

	/**
	 * The channel joined.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * Who joined: the member id on a presence channel, else the user the connection is
	 * signed in as.
	 * @return the user id, or {@code null} for an anonymous connection
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return "ChannelSubscribedEvent[" + getSocketId() + " to " + this.channel + "]";
	}

}
