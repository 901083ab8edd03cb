package dev.realtime;

/**
 * The hub was used after {@link Hub#close()}.
 */
public class HubClosedException extends IllegalStateException {

	HubClosedException() {
		super("The hub is closed: it accepts no more connections, subscriptions or messages");
	}

}
