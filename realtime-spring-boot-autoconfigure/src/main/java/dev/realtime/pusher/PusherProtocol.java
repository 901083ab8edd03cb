package dev.realtime.pusher;

import org.jspecify.annotations.Nullable;

/**
 * The protocol version check of the handshake.
 */
public final class PusherProtocol {

	/** The protocol version the server speaks. */
	public static final int VERSION = 7;

	private PusherProtocol() {
	}

	/**
	 * Accept a client's {@code protocol} query parameter: 7 or later.
	 * @param protocol the parameter, or {@code null} when missing
	 * @throws UnsupportedProtocolException if missing, not a number, or older than 7
	 */
	public static void check(@Nullable String protocol) {
		if (protocol == null || protocol.isEmpty()) {
			throw new UnsupportedProtocolException(null);
		}
		int version;
		try {
			version = Integer.parseInt(protocol);
		}
		catch (NumberFormatException ex) {
			throw new UnsupportedProtocolException(protocol);
		}
		if (version < VERSION) {
			throw new UnsupportedProtocolException(protocol);
		}
	}

}
