package dev.realtime.event;

/**
 * A connection left a channel with {@code pusher:unsubscribe}. Leaving by closing is told
 * by {@link ConnectionClosedEvent} instead.
 */
public final class ChannelUnsubscribedEvent extends ConnectionEvent {

	private final String channel;

	/**
	 * A connection unsubscribed.
	 * @param appId the app
	 * @param socketId the socket id
	 * @param channel the channel
	 */
	public ChannelUnsubscribedEvent(String appId, String socketId, String channel) {
		super(appId, socketId);
		this.channel = channel;
	}

	/**
	 * The channel left.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.channel;
	}

	@Override
	public String toString() {
		return "ChannelUnsubscribedEvent[" + getSocketId() + " from " + this.channel + "]";
	}

}
