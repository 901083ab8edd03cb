package dev.realtime.pusher;

import dev.realtime.CloseReason;

/**
 * The Pusher close codes the server uses, grouped as clients read them: 4000-4099 do not
 * reconnect with the same settings, 4100-4199 reconnect after a delay, 4200-4299 reconnect
 * at once, 4300-4399 client errors (pusher-js does not reconnect).
 */
public final class CloseCodes {

	/** 4001: no app has the key in the URL. */
	public static final CloseReason UNKNOWN_APP = new CloseReason(4001, "Application does not exist");

	/** 4003: the app is disabled. */
	public static final CloseReason APP_DISABLED = new CloseReason(4003, "Application is disabled");

	/** 4004: the app has as many connections as its quota allows. */
	public static final CloseReason OVER_QUOTA = new CloseReason(4004, "Application is over connection quota");

	/** 4007: the client speaks a protocol version older than 7. */
	public static final CloseReason UNSUPPORTED_PROTOCOL = new CloseReason(4007, "Unsupported protocol version");

	/** 4008: the client did not say which protocol version it speaks. */
	public static final CloseReason NO_PROTOCOL = new CloseReason(4008, "No protocol version supplied");

	/** 4009: the application terminated the user's connections. */
	public static final CloseReason TERMINATED = CloseReason.TERMINATED;

	/**
	 * 4009: the connection neither signed in nor joined a private or presence channel in
	 * time (when authorized connections are required).
	 */
	public static final CloseReason NOT_AUTHORIZED_IN_TIME = new CloseReason(4009,
			"Connection not authorized within timeout");

	/** 4100: the client could not keep up with its messages. */
	public static final CloseReason OVER_CAPACITY = CloseReason.SLOW_CONSUMER;

	/** 4100: the server cannot take the connection now; reconnect after a delay. */
	public static final CloseReason OVER_CAPACITY_REFUSED = new CloseReason(4100, "Over capacity");

	/** 4200: the server is shutting down; reconnect now (to another node). */
	public static final CloseReason GOING_AWAY = CloseReason.GOING_AWAY;

	/** 4201: the client did not answer the server's ping in time. */
	public static final CloseReason PONG_NOT_RECEIVED = new CloseReason(4201, "Pong reply not received");

	/** 4202: a write to the client did not complete in time. */
	public static final CloseReason SEND_TIMEOUT = CloseReason.SEND_TIMEOUT;

	/** Error code (not a close) for a client event or message refused by a rate limit. */
	public static final int CLIENT_EVENT_RATE_LIMIT = 4301;

	/**
	 * 4301 as a close: the connection kept sending far more messages than allowed.
	 * pusher-js does not reconnect after a 43xx close, so a flooding client stays away.
	 */
	public static final CloseReason MESSAGE_FLOOD = new CloseReason(4301, "Too many messages: rate limit exceeded");

	private CloseCodes() {
	}

}
