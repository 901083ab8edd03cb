package dev.realtime.bench.load;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * How one server speaks to a subscriber: where to connect, what to send once the
 * WebSocket is open, and what the server's control frames mean. Payload frames (those
 * carrying {@code "seq"}) never reach the protocol: the subscriber accounts for them itself.
 */
public interface Protocol {

	/**
	 * The protocol's name, as reported.
	 * @return the name
	 */
	String name();

	/**
	 * The WebSocket address a subscriber of a channel connects to.
	 * @param channel the channel name
	 * @return the address
	 */
	URI uri(String channel);

	/**
	 * The WebSocket subprotocol to ask for, if any.
	 * @return the subprotocol or {@code null}
	 */
	default @Nullable String subprotocol() {
		return null;
	}

	/**
	 * The WebSocket handshake completed.
	 * @param subscriber the subscriber
	 */
	void opened(Subscriber subscriber);

	/**
	 * A text frame without a payload arrived.
	 * @param subscriber the subscriber
	 * @param text the frame
	 */
	void control(Subscriber subscriber, String text);

}
