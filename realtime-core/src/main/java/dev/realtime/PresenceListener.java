package dev.realtime;

/**
 * Told when members join or leave presence channels on this hub.
 * <p>
 * Called after the change and outside the hub's locks, one event at a time in the order
 * the rosters changed: usually on the thread that changed the roster, sometimes on another
 * thread that changed a roster at the same moment. Exceptions are caught and ignored so a
 * listener cannot break the hub.
 */
@FunctionalInterface
public interface PresenceListener {

	/**
	 * A member joined or left.
	 * @param event what happened
	 */
	void onPresence(PresenceEvent event);

}
