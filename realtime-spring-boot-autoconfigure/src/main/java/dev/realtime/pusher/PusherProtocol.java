package dev.realtime.pusher;

import dev.realtime.Frame;
import org.jspecify.annotations.Nullable;

/**
 * The protocol versions the server accepts, 5 to 7 as Pusher's own service does, and the
 * one place where they differ on the wire.
 * <p>
 * Versions 5 and 6 (the official Java and Android client sends 5) read the frames of
 * version 7 unchanged: the only addition of 7 is {@code activity_timeout} in
 * {@code pusher:connection_established}, which older clients ignore. What differs is the
 * liveness check: pusher-js answers a {@code pusher:ping} event, while the Java client
 * answers only WebSocket pings (its WebSocket library does so by itself) and ignores the
 * event, so a server that pinged it with the event would close it with 4201 whenever it
 * is idle.
 */
public final class PusherProtocol {

	/** The newest protocol version, the one pusher-js speaks. */
	public static final int VERSION = 7;

	/** The oldest protocol version accepted. */
	public static final int OLDEST_VERSION = 5;

	private PusherProtocol() {
	}

	/**
	 * Accept a client's {@code protocol} query parameter.
	 * @param protocol the parameter, or {@code null} when missing
	 * @return the version, from {@value #OLDEST_VERSION} to {@value #VERSION}
	 * @throws UnsupportedProtocolException if missing (4008), not a number or not a
	 * version accepted (4007)
	 */
	public static int check(@Nullable String protocol) {
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
		if (version < OLDEST_VERSION || version > VERSION) {
			throw new UnsupportedProtocolException(protocol);
		}
		return version;
	}

	/**
	 * The server's ping for a connection of the given version: the {@code pusher:ping}
	 * event for version 7, a WebSocket ping control frame for older versions. The answer
	 * to either (a {@code pusher:pong}, a pong frame) counts as activity.
	 * @param version the connection's protocol version
	 * @return the frame to send
	 */
	public static Frame ping(int version) {
		return (version >= VERSION) ? PusherFrames.ping() : Frame.ping();
	}

}
