package dev.realtime.pusher;

import org.jspecify.annotations.Nullable;

/**
 * The client asked for no protocol version (4008) or one the server does not speak (4007).
 */
public class UnsupportedProtocolException extends PusherException.Fatal {

	/**
	 * Create an exception.
	 * @param protocol the {@code protocol} query parameter, or {@code null} when missing
	 */
	public UnsupportedProtocolException(@Nullable String protocol) {
		super((protocol != null) ? CloseCodes.UNSUPPORTED_PROTOCOL : CloseCodes.NO_PROTOCOL,
				(protocol != null)
						? "Unsupported protocol version, use protocol=" + PusherProtocol.OLDEST_VERSION + " to "
								+ PusherProtocol.VERSION
						: "No protocol version supplied, use protocol=" + PusherProtocol.VERSION);
	}

}
