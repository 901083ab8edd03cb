package dev.realtime.pusher;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the protocol layer, read by the metrics binder. Cheap to bump from any
 * thread.
 */
public final class ProtocolStats {

	private final LongAdder messagesReceived = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder messagesSent = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder authDenials = new LongAdder();

	private final LongAdder clientEventsRejected = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder pongsDropped = new LongAdder();

	private final LongAdder messagesRateLimited = new LongAdder();

	private final LongAdder floodDisconnects = new LongAdder();

	private final LongAdder authorizationTimeouts = new LongAdder();

	void received(int bytes) {
		this.messagesReceived.increment();
		this.bytesReceived.add(bytes);
	}

	/**
	 * Count frames a transport wrote.
	 * @param messages how many frames
	 * @param bytes their payload bytes
	 */
	public void sent(int messages, long bytes) {
		this.messagesSent.add(messages);
		this.bytesSent.add(bytes);
	}

	/**
	 * Count a refused channel or user authorization.
	 */
	public void authDenied() {
		this.authDenials.increment();
	}

	void clientEventRejected() {
		this.clientEventsRejected.increment();
	}

	void error() {
		this.errors.increment();
	}

	void messageRateLimited() {
		this.messagesRateLimited.increment();
	}

	void floodDisconnect() {
		this.floodDisconnects.increment();
	}

	void authorizationTimeout() {
		this.authorizationTimeouts.increment();
	}

	/**
	 * Count a pong not sent because the connection's socket was not writable.
	 */
	public void pongDropped() {
		this.pongsDropped.increment();
	}

	/**
	 * Messages received from clients.
	 * @return the count
	 */
	public long messagesReceived() {
		return this.messagesReceived.sum();
	}

	/**
	 * Size of the messages received from clients, in characters.
	 * @return the count
	 */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/**
	 * Messages written to clients.
	 * @return the count
	 */
	public long messagesSent() {
		return this.messagesSent.sum();
	}

	/**
	 * Bytes (UTF-8) written to clients.
	 * @return the count
	 */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * Refused authorizations: channel subscriptions, auth endpoint requests and sign-ins.
	 * @return the count
	 */
	public long authDenials() {
		return this.authDenials.sum();
	}

	/**
	 * Client events refused (disabled, rate-limited, not subscribed, wrong channel type).
	 * @return the count
	 */
	public long clientEventsRejected() {
		return this.clientEventsRejected.sum();
	}

	/**
	 * {@code pusher:error} messages sent.
	 * @return the count
	 */
	public long errors() {
		return this.errors.sum();
	}

	/**
	 * Pongs not sent because the client did not read what it was sent (WebSocket pings
	 * answered on the Netty transport).
	 * @return the count
	 */
	public long pongsDropped() {
		return this.pongsDropped.sum();
	}

	/**
	 * Messages dropped because their connection sent more than its message rate allows.
	 * @return the count
	 */
	public long messagesRateLimited() {
		return this.messagesRateLimited.sum();
	}

	/**
	 * Connections closed (4301) for going on sending far more than their message rate.
	 * @return the count
	 */
	public long floodDisconnects() {
		return this.floodDisconnects.sum();
	}

	/**
	 * Connections closed (4009) for not signing in or joining a private or presence
	 * channel within the authorization timeout.
	 * @return the count
	 */
	public long authorizationTimeouts() {
		return this.authorizationTimeouts.sum();
	}

}
