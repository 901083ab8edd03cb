package dev.realtime;

/**
 * The outcome of {@link Hub#subscribe}.
 */
public enum Joined {

	/** The client joined the channel. */
	SUBSCRIBED,

	/** The client was already there; it got its confirmation again and nothing else changed. */
	ALREADY_SUBSCRIBED,

	/** The presence channel has as many members as allowed; the client did not join. */
	PRESENCE_FULL,

	/** The client is closing or closed; nothing changed. */
	CLIENT_CLOSED

}
