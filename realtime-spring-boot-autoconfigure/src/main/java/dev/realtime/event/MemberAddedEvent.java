package dev.realtime.event;

/**
 * A user became a member of a presence channel on this node: their first connection
 * joined it (further tabs of the same user are not news).
 */
public final class MemberAddedEvent extends RealtimeEvent {

	private final String channel;

	private final String userId;

	private final String userInfo;

	/**
	 * A member was added.
	 * @param channel the presence channel
	 * @param userId the member id
	 * @param userInfo the member's {@code user_info} JSON
	 */
	public MemberAddedEvent(String channel, String userId, String userInfo) {
		super(channel);
		this.channel = channel;
		this.userId = userId;
		this.userInfo = userInfo;
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

	/**
	 * The member's {@code user_info}, as the authorizer gave it.
	 * @return a JSON text
	 */
	public String getUserInfo() {
		return this.userInfo;
	}

	@Override
	public String toString() {
		return "MemberAddedEvent[" + this.userId + " to " + this.channel + "]";
	}

}
