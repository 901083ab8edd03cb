package dev.realtime.event;

import org.jspecify.annotations.Nullable;

/**
 * A connection sent a client event ({@code client-*}) that the server accepted and
 * published to the channel's other subscribers.
 */
public final class ClientEventReceivedEvent extends ConnectionEvent {

	private final String channel;

	private final String event;

	private final String data;

	private final @Nullable String userId;

	/**
	 * A client event was relayed.
	 * @param appId the app
	 * @param socketId the sender's socket id
	 * @param channel the channel
	 * @param event the event name
	 * @param data the data as relayed (a JSON text, or the string the client sent)
	 * @param userId the sender's member id on a presence channel, else {@code null}
	 */
	public ClientEventReceivedEvent(String appId, String socketId, String channel, String event, String data,
			@Nullable String userId) {
		super(appId, socketId);
		this.channel = channel;
		this.event = event;
		this.data = data;
		this.userId = userId;
	}

	/**
	 * The channel the event went to.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * The event name, {@code client-} included.
	 * @return the event name
	 */
	public String getEvent() {
		return this.event;
	}

	/**
	 * The event's data as the subscribers received it.
	 * @return the data
	 */
	public String getData() {
		return this.data;
	}

	/**
	 * The sender's member id, on presence channels.
	 * @return the user id, or {@code null} on private channels
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return "ClientEventReceivedEvent[" + this.event + " on " + this.channel + " from " + getSocketId() + "]";
	}

}
