package dev.realtime.netty;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The negotiation of permessage-deflate (RFC 7692) on the Netty transport, always with
 * {@code server_no_context_takeover}: each message the server sends is compressed on its
 * own, so one compressed form of a broadcast can go to every connection that negotiated
 * the extension (see {@link WireFrames}), and the server keeps no compression window per
 * connection. {@code client_no_context_takeover} is granted when the client offers it;
 * otherwise the client may keep its window and the connection inflates with an inflater
 * of its own (some clients, Netty's by default, refuse an answer with a parameter they did
 * not offer).
 */
final class PerMessageDeflate {

	/** The extension's name in {@code Sec-WebSocket-Extensions}. */
	static final String NAME = "permessage-deflate";

	/** The RSV1 bit of a frame's first byte (Netty's {@code rsv()} value): "compressed". */
	static final int RSV1 = 0x4;

	private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";

	private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";

	/** The JDK's deflater always uses a 32K window (15 bits). */
	private static final String JDK_WINDOW_BITS = "15";

	private PerMessageDeflate() {
	}

	/**
	 * The answer to a client's extension offers.
	 * @param offers the request's {@code Sec-WebSocket-Extensions} header
	 * @return what was agreed, or {@code null} when no offer is of permessage-deflate with
	 * parameters the server can honour
	 */
	static @Nullable Agreement negotiate(@Nullable String offers) {
		if (offers == null) {
			return null;
		}
		for (String offer : offers.split(",")) {
			if (acceptable(offer)) {
				boolean clientContextTakeover = !offer.toLowerCase(Locale.ROOT).contains(CLIENT_NO_CONTEXT_TAKEOVER);
				String response = NAME + "; " + SERVER_NO_CONTEXT_TAKEOVER
						+ (clientContextTakeover ? "" : "; " + CLIENT_NO_CONTEXT_TAKEOVER);
				return new Agreement(response, clientContextTakeover);
			}
		}
		return null;
	}

	private static boolean acceptable(String offer) {
		String[] parts = offer.split(";");
		if (!NAME.equalsIgnoreCase(parts[0].trim())) {
			return false;
		}
		for (int i = 1; i < parts.length; i++) {
			String parameter = parts[i].trim();
			int equals = parameter.indexOf('=');
			String name = ((equals < 0) ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
			String value = (equals < 0) ? null : parameter.substring(equals + 1).trim().replace("\"", "");
			switch (name) {
				case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER, "client_max_window_bits" -> {
					// Granted (the first two) or irrelevant: a client's smaller window
					// inflates with the server's 15 bits as well.
				}
				case "server_max_window_bits" -> {
					if (!JDK_WINDOW_BITS.equals(value)) {
						// A smaller window the JDK deflater cannot produce: the next
						// offer, or no compression.
						return false;
					}
				}
				default -> {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * The extension as agreed.
	 * @param response the {@code Sec-WebSocket-Extensions} answer
	 * @param clientContextTakeover whether the client may keep its compression window
	 * between messages (it did not offer {@code client_no_context_takeover})
	 */
	record Agreement(String response, boolean clientContextTakeover) {
	}

}
