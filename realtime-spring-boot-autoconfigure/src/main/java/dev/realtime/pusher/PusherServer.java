package dev.realtime.pusher;

import dev.realtime.Client;
import dev.realtime.Conn;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Pusher protocol over any WebSocket transport: opening a connection (app key,
 * protocol version, {@code pusher:connection_established}), its messages (to
 * {@link PusherEventHandler}) and errors, and the hub's bookkeeping when it closes. The
 * Servlet transport ({@link PusherWebSocketHandler}) and the Netty transport
 * ({@code dev.realtime.netty}) only move bytes and call this.
 * <p>
 * Everything sent to an accepted connection goes through its hub outbox, so its single
 * writer keeps the order; a rejected connection is answered by the transport directly,
 * before any writer exists.
 */
public final class PusherServer {

	private static final Log logger = LogFactory.getLog(PusherServer.class);

	private final Hub hub;

	private final AppRegistry apps;

	private final PusherConnections connections;

	private final PusherEventHandler events;

	private final ProtocolSettings settings;

	private final ProtocolStats stats;

	/**
	 * Create the server.
	 * @param hub the hub
	 * @param apps the apps clients connect to
	 * @param connections the registry of this node's connections
	 * @param events handles the messages
	 * @param settings limits and timeouts
	 * @param stats counters
	 */
	public PusherServer(Hub hub, AppRegistry apps, PusherConnections connections, PusherEventHandler events,
			ProtocolSettings settings, ProtocolStats stats) {
		this.hub = hub;
		this.apps = apps;
		this.connections = connections;
		this.events = events;
		this.settings = settings;
		this.stats = stats;
	}

	/**
	 * The protocol's limits and timeouts.
	 * @return the settings
	 */
	public ProtocolSettings settings() {
		return this.settings;
	}

	/**
	 * Check a new connection's app and protocol version, add it to the hub and greet it.
	 * @param appKey the key from the URL, or {@code null} for the default app
	 * @param protocol the {@code protocol} query parameter, or {@code null}
	 * @param conn the transport
	 * @return the connection
	 * @throws PusherException if it is refused: send {@link PusherException#toFrame()} and
	 * close with its reason
	 * @throws HubClosedException if the node is shutting down: close with 4200
	 */
	public PusherConnection open(@Nullable String appKey, @Nullable String protocol, Conn conn) {
		App app;
		int version;
		try {
			app = (appKey != null) ? this.apps.findByKey(appKey) : this.apps.defaultApp();
			if (app == null) {
				throw new UnknownAppException(appKey);
			}
			version = PusherProtocol.check(protocol);
		}
		catch (PusherException ex) {
			this.stats.error();
			throw ex;
		}
		Client client = this.hub.add(conn);
		long now = System.nanoTime();
		PusherConnection connection = new PusherConnection(app, version, client,
				new RateLimiter(this.settings.clientEventRateLimit(), now), now);
		this.connections.add(connection);
		this.hub.sendTo(client.id(),
				PusherFrames.connectionEstablished(client.id(), this.settings.activityTimeout().toSeconds()));
		return connection;
	}

	/**
	 * Note that the client was heard from (any frame, a pong included).
	 * @param connection the connection
	 * @param bytes the payload size, for the metrics
	 */
	public void received(PusherConnection connection, int bytes) {
		connection.touch(System.nanoTime());
		this.stats.received(bytes);
	}

	/**
	 * Handle one whole text message. Bad input is answered with a {@code pusher:error}
	 * (and a close where the protocol says so); it never throws.
	 * @param connection the connection
	 * @param message the message
	 */
	public void message(PusherConnection connection, String message) {
		try {
			this.events.handle(connection, message);
		}
		catch (PusherException ex) {
			reject(connection, ex);
		}
		catch (HubClosedException ex) {
			// Shutting down: the connection is being closed with 4200.
		}
		catch (RuntimeException ex) {
			logger.debug("Message from " + connection.socketId() + " failed", ex);
			reject(connection, new InvalidMessageException("Invalid message"));
		}
	}

	/**
	 * Count a connection closed for a protocol violation the transport detected (a message
	 * too large to assemble, say).
	 */
	public void transportError() {
		this.stats.error();
	}

	/**
	 * Forget a closed connection.
	 * @param connection the connection
	 */
	public void closed(PusherConnection connection) {
		this.connections.remove(connection);
		this.hub.remove(connection.client());
	}

	/**
	 * Answer a message the protocol does not accept (a binary one, say) with a
	 * {@code pusher:error}, and close the connection where the protocol says so.
	 * @param connection the connection
	 * @param ex the error
	 */
	public void reject(PusherConnection connection, PusherException ex) {
		this.stats.error();
		try {
			this.hub.sendTo(connection.socketId(), ex.toFrame());
			if (ex.closeReason() != null) {
				this.hub.disconnect(connection.client(), ex.closeReason());
			}
		}
		catch (HubClosedException closed) {
			// Shutting down.
		}
	}

}
