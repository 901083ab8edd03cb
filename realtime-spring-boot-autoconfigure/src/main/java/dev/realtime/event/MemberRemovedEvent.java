package dev.realtime.event;

/**
 * A user stopped being a member of a presence channel on this node: their last connection
 * left it.
 */
public final class MemberRemovedEvent extends RealtimeEvent {

	private final String channel;

	private final String userId;

	/**
	 * A member was removed.
	 * @param channel the presence channel
	 * @param userId the member id
	 */
	public MemberRemovedEvent(String channel, String userId) {
		super(channel);
		this.channel = channel;
		this.userId = userId;
	}

	/**
	 * The presence channel.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * The member id.
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return "MemberRemovedEvent[" + this.userId + " from " + this.channel + "]";
	}

}
