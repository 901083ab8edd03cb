package dev.realtime;

/**
 * Told when members join or leave presence channels on this hub.
 * <p>
 * Called on the thread that changed the roster, after the change and outside the hub's
 * locks; exceptions are caught and ignored so a listener cannot break the hub.
 */
@FunctionalInterface
public interface PresenceListener {

	/**
	 * A member joined or left.
	 * @param event what happened
	 */
	void onPresence(PresenceEvent event);

}
