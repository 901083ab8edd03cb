package dev.realtime;

import java.util.Objects;

/**
 * Why the server closes a connection: a WebSocket close code and a short reason.
 * <p>
 * Codes follow the Pusher ranges so clients know whether to come back: 4000-4099 do
 * not reconnect, 4100-4199 reconnect after a delay, 4200-4299 reconnect at once.
 *
 * @param code the close code
 * @param reason the human-readable reason
 */
public record CloseReason(int code, String reason) {

	/** The client could not keep up with its messages (4100: reconnect after a delay). */
	public static final CloseReason SLOW_CONSUMER = new CloseReason(4100, "Over capacity: client too slow");

	/** The server is shutting down or moving the client (4200: reconnect now). */
	public static final CloseReason GOING_AWAY = new CloseReason(4200, "Server shutting down, reconnect");

	/** A write did not complete within the send time limit (4201-class: reconnect now). */
	public static final CloseReason SEND_TIMEOUT = new CloseReason(4202, "Send timed out");

	/** The application terminated the user's connections (4009: do not reconnect as is). */
	public static final CloseReason TERMINATED = new CloseReason(4009, "Connection terminated by the server");

	public CloseReason {
		Objects.requireNonNull(reason, "reason");
	}

	/**
	 * Whether the client should reconnect (right away or after a delay).
	 * @return {@code true} for the 41xx and 42xx ranges
	 */
	public boolean reconnect() {
		return this.code >= 4100 && this.code < 4300;
	}

}
