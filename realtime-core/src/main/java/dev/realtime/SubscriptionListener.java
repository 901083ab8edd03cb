package dev.realtime;

/**
 * Told after a connection joined a channel (not for repeated subscriptions, nor for the
 * server-to-user channel joined at sign-in): what cache channels need to replay their last
 * event to the newcomer.
 * <p>
 * Called on the subscribing thread after the join, outside the hub's locks, so the
 * connection's confirmation is already queued and anything the listener sends to it
 * ({@link Hub#sendTo}) follows the confirmation. May block briefly. Exceptions are caught
 * and ignored.
 */
@FunctionalInterface
public interface SubscriptionListener {

	/**
	 * A connection joined a channel.
	 * @param client the connection
	 * @param channel the channel
	 */
	void subscribed(Client client, String channel);

}
