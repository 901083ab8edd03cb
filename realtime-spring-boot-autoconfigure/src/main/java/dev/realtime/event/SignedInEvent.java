package dev.realtime.event;

/**
 * A connection signed in as a user ({@code pusher.signin()}, accepted by the server).
 */
public final class SignedInEvent extends ConnectionEvent {

	private final String userId;

	/**
	 * A connection signed in.
	 * @param appId the app
	 * @param socketId the socket id
	 * @param userId the user id
	 */
	public SignedInEvent(String appId, String socketId, String userId) {
		super(appId, socketId);
		this.userId = userId;
	}

	/**
	 * The user the connection signed in as.
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return "SignedInEvent[" + getSocketId() + " as " + this.userId + "]";
	}

}
