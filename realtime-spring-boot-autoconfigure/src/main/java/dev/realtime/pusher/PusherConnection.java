package dev.realtime.pusher;

import dev.realtime.Client;

/**
 * The protocol's view of one connection: its app, its hub client, when it was last heard
 * from, and its client-event allowance.
 */
public final class PusherConnection {

	private final App app;

	private final Client client;

	private final RateLimiter clientEvents;

	private volatile long lastActivityNanos;

	/** When the server's unanswered ping went out; 0 when none is outstanding. */
	private volatile long pingSentNanos;

	PusherConnection(App app, Client client, RateLimiter clientEvents, long nowNanos) {
		this.app = app;
		this.client = client;
		this.clientEvents = clientEvents;
		this.lastActivityNanos = nowNanos;
	}

	/**
	 * The app the connection belongs to.
	 * @return the app
	 */
	public App app() {
		return this.app;
	}

	/**
	 * The hub's client.
	 * @return the client
	 */
	public Client client() {
		return this.client;
	}

	/**
	 * The socket id.
	 * @return the socket id
	 */
	public String socketId() {
		return this.client.id();
	}

	RateLimiter clientEvents() {
		return this.clientEvents;
	}

	void touch(long nowNanos) {
		this.lastActivityNanos = nowNanos;
		this.pingSentNanos = 0;
	}

	long lastActivityNanos() {
		return this.lastActivityNanos;
	}

	long pingSentNanos() {
		return this.pingSentNanos;
	}

	void pingSent(long nowNanos) {
		this.pingSentNanos = nowNanos;
	}

	@Override
	public String toString() {
		return "PusherConnection[" + this.client.id() + ", " + this.app + "]";
	}

}
