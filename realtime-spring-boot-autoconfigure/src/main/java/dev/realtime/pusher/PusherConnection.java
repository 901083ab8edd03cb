package dev.realtime.pusher;

import dev.realtime.Client;
import org.jspecify.annotations.Nullable;

/**
 * The protocol's view of one connection: its app and the app's hub, its protocol version,
 * its hub client, when it was last heard from, its message and client-event allowances,
 * and its place in the admission counts.
 */
public final class PusherConnection {

	private final App app;

	private final int protocol;

	private final AppHub appHub;

	private final Client client;

	private final RateLimiter clientEvents;

	private final MessageAllowance messages;

	private final ConnectionAdmission.Ticket ticket;

	private final int maxChannels;

	private final long openedNanos;

	private volatile long lastActivityNanos;

	/** Whether it signed in or joined a private or presence channel. */
	private volatile boolean authorized;

	/**
	 * The parts so far of a message the container delivered in pieces; only the container's
	 * one reading thread per connection touches it.
	 */
	private @Nullable StringBuilder partial;

	/** When the server's unanswered ping went out; 0 when none is outstanding. */
	private volatile long pingSentNanos;

	PusherConnection(App app, int protocol, AppHub appHub, Client client, RateLimiter clientEvents,
			ConnectionLimits limits, ConnectionAdmission.Ticket ticket, long nowNanos) {
		this.app = app;
		this.protocol = protocol;
		this.appHub = appHub;
		this.client = client;
		this.clientEvents = clientEvents;
		this.messages = new MessageAllowance(limits, nowNanos);
		this.maxChannels = limits.maxChannels();
		this.ticket = ticket;
		this.openedNanos = nowNanos;
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
	 * The protocol version the client asked for, see {@link PusherProtocol}.
	 * @return the version
	 */
	public int protocol() {
		return this.protocol;
	}

	/**
	 * The app's hub, which the connection is a client of.
	 * @return the app's hub
	 */
	public AppHub appHub() {
		return this.appHub;
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

	/**
	 * Add one part of a message. Messages larger than the container's buffer arrive in
	 * parts: accepting parts lets that buffer (allocated per connection) stay small instead
	 * of as large as the largest message allowed.
	 * @param part the part
	 * @param last whether it is the message's last part
	 * @param limit the most characters a whole message may reach
	 * @return the whole message after its last part, else {@code null}
	 * @throws MessageTooLargeException once the parts exceed {@code limit}
	 */
	@Nullable String assemble(String part, boolean last, int limit) {
		if (this.partial == null) {
			if (last) {
				return part;
			}
			this.partial = new StringBuilder(Math.min(limit, part.length() * 2));
		}
		if (this.partial.length() + part.length() > limit) {
			this.partial = null;
			throw new MessageTooLargeException(limit);
		}
		this.partial.append(part);
		if (!last) {
			return null;
		}
		String message = this.partial.toString();
		this.partial = null;
		return message;
	}

	RateLimiter clientEvents() {
		return this.clientEvents;
	}

	MessageAllowance messages() {
		return this.messages;
	}

	ConnectionAdmission.Ticket ticket() {
		return this.ticket;
	}

	int maxChannels() {
		return this.maxChannels;
	}

	long openedNanos() {
		return this.openedNanos;
	}

	boolean isAuthorized() {
		return this.authorized;
	}

	void authorized() {
		this.authorized = true;
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
		return "PusherConnection[" + this.client.id() + ", " + this.app + ", protocol " + this.protocol + "]";
	}

}
