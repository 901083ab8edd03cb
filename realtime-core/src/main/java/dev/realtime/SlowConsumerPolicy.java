package dev.realtime;

/**
 * What the hub does when a client's outbox is full.
 */
public enum SlowConsumerPolicy {

	/** Drop the new message, count it on the client, keep the connection. */
	DROP_MESSAGE,

	/** Close the connection on the first overflow ({@link CloseReason#SLOW_CONSUMER}). */
	DISCONNECT_CLIENT

}
