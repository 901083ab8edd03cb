package dev.realtime.autoconfigure;

import dev.realtime.autoconfigure.RealtimeProperties.BroadcasterType;

/**
 * The broadcaster chosen with {@code realtime.broadcaster} cannot be created.
 */
public class BroadcasterUnavailableException extends IllegalStateException {

	private final BroadcasterType type;

	/**
	 * Create an exception.
	 * @param type the chosen type
	 * @param message what is missing and how to fix it
	 */
	public BroadcasterUnavailableException(BroadcasterType type, String message) {
		super(message);
		this.type = type;
	}

	/**
	 * The chosen type.
	 * @return the type
	 */
	public BroadcasterType getType() {
		return this.type;
	}

}
