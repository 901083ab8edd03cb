package dev.realtime.pusher;

/**
 * The server cannot take the connection now (4100): this node, or the client's address,
 * has as many connections as allowed, or the address connects too often. pusher-js tries
 * again after a second.
 */
public class OverCapacityException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 * @param message which limit was reached, told to the client
	 */
	public OverCapacityException(String message) {
		super(CloseCodes.OVER_CAPACITY_REFUSED, message);
	}

}
