package dev.realtime.pusher;

import java.net.InetAddress;
import java.util.Set;
import java.util.stream.Collectors;

import dev.realtime.ChannelType;
import dev.realtime.Client;
import dev.realtime.Conn;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Pusher protocol over any WebSocket transport: opening a connection (app key,
 * protocol version, admission by {@link ConnectionAdmission}, then
 * {@code pusher:connection_established}), its messages (within its
 * {@link ConnectionLimits}, to {@link PusherEventHandler}) and errors, and the hub's
 * bookkeeping when it closes. The
 * Servlet transport ({@link PusherWebSocketHandler}) and the Netty transport
 * ({@code dev.realtime.netty}) only move bytes and call this.
 * <p>
 * Everything sent to an accepted connection goes through its hub outbox, so its single
 * writer keeps the order; a rejected connection is answered by the transport directly,
 * before any writer exists.
 */
public final class PusherServer {

	private static final Log logger = LogFactory.getLog(PusherServer.class);

	private final AppRegistry apps;

	private final AppHubs hubs;

	private final PusherConnections connections;

	private final ProtocolSettings settings;

	private final ProtocolStats stats;

	private final ConnectionAdmission admission;

	private final ConnectionLimits limits;

	private final ConnectionLifecycleListener lifecycle;

	/**
	 * Create the server.
	 * @param apps the apps clients connect to
	 * @param hubs the hub of each app (each app's hub handles its connections' messages)
	 * @param connections the registry of this node's connections
	 * @param settings limits and timeouts
	 * @param stats counters
	 * @param admission decides whether a new connection may open
	 * @param limits what one connection may do
	 * @param lifecycle told when connections (of every app) open and close
	 */
	public PusherServer(AppRegistry apps, AppHubs hubs, PusherConnections connections, ProtocolSettings settings,
			ProtocolStats stats, ConnectionAdmission admission, ConnectionLimits limits,
			ConnectionLifecycleListener lifecycle) {
		this.lifecycle = lifecycle;
		this.apps = apps;
		this.hubs = hubs;
		this.connections = connections;
		this.settings = settings;
		this.stats = stats;
		this.admission = admission;
		this.limits = limits;
	}

	/**
	 * The protocol's limits and timeouts.
	 * @return the settings
	 */
	public ProtocolSettings settings() {
		return this.settings;
	}

	/**
	 * Check a new connection's app and protocol version, admit it, add it to the app's hub
	 * and greet it.
	 * @param appKey the key from the URL, or {@code null} for the default app
	 * @param protocol the {@code protocol} query parameter, or {@code null}
	 * @param peer the address the connection comes from, or {@code null} if unknown
	 * @param forwardedFor the upgrade request's {@code X-Forwarded-For} header, or
	 * {@code null}
	 * @param conn the transport
	 * @return the connection
	 * @throws PusherException if it is refused: send {@link PusherException#toFrame()} and
	 * close with its reason
	 * @throws HubClosedException if the node is shutting down: close with 4200
	 */
	public PusherConnection open(@Nullable String appKey, @Nullable String protocol, @Nullable InetAddress peer,
			@Nullable String forwardedFor, Conn conn) {
		App app;
		int version;
		AppHub appHub;
		ConnectionAdmission.Ticket ticket;
		try {
			app = (appKey != null) ? this.apps.findByKey(appKey) : this.hubs.defaultHub().app();
			if (app == null) {
				throw new UnknownAppException(appKey);
			}
			if (!app.settings().enabled()) {
				throw new AppDisabledException();
			}
			version = PusherProtocol.check(protocol);
			appHub = this.hubs.forApp(app);
			if (appHub == null) {
				throw new TooManyAppsException();
			}
			ticket = this.admission.admit(app, peer, forwardedFor);
		}
		catch (PusherException ex) {
			this.stats.error();
			throw ex;
		}
		Hub hub = appHub.hub();
		Client client;
		try {
			client = hub.add(conn);
		}
		catch (RuntimeException ex) {
			ticket.release();
			throw ex;
		}
		long now = System.nanoTime();
		PusherConnection connection = new PusherConnection(app, version, appHub, client,
				new RateLimiter(this.settings.clientEventRateLimit(), now), this.limits, ticket, now);
		this.connections.add(connection);
		hub.sendTo(client.id(),
				PusherFrames.connectionEstablished(client.id(), this.settings.activityTimeout().toSeconds()));
		this.lifecycle.opened(connection);
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
		if (!allowed(connection)) {
			return;
		}
		try {
			connection.appHub().events().handle(connection, message);
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
	 * Take one message from the connection's allowance; a refused message is dropped.
	 * Also for messages the transport refuses by itself (binary ones), so that a flood of
	 * those is held back too.
	 * @param connection the connection
	 * @return {@code true} if the message may be handled
	 */
	public boolean allowed(PusherConnection connection) {
		MessageAllowance.Verdict verdict = connection.messages().take(System.nanoTime());
		if (verdict == MessageAllowance.Verdict.ALLOWED) {
			return true;
		}
		this.stats.messageRateLimited();
		try {
			if (verdict == MessageAllowance.Verdict.REFUSED) {
				this.stats.error();
				connection.appHub().hub().sendTo(connection.socketId(), PusherFrames.error(CloseCodes.CLIENT_EVENT_RATE_LIMIT,
						"Message rejected due to rate limit (" + this.limits.messageRate() + " per second)"));
			}
			else if (verdict == MessageAllowance.Verdict.FLOOD) {
				this.stats.floodDisconnect();
				connection.appHub().hub().disconnect(connection.client(), CloseCodes.MESSAGE_FLOOD);
			}
		}
		catch (HubClosedException ex) {
			// Shutting down.
		}
		return false;
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
	 * @param closeCode the WebSocket close code it closed with (1006 without a close frame)
	 */
	public void closed(PusherConnection connection, int closeCode) {
		this.connections.remove(connection);
		connection.ticket().release();
		// The channels the server joined it to on sign-in are nobody else's business.
		Set<String> channels = connection.client()
			.channels()
			.stream()
			.filter((channel) -> !ChannelType.classify(channel).isInternal())
			.collect(Collectors.toUnmodifiableSet());
		connection.appHub().hub().remove(connection.client());
		this.lifecycle.closed(connection, closeCode, channels);
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
			Hub hub = connection.appHub().hub();
			hub.sendTo(connection.socketId(), ex.toFrame());
			if (ex.closeReason() != null) {
				hub.disconnect(connection.client(), ex.closeReason());
			}
		}
		catch (HubClosedException closed) {
			// Shutting down.
		}
	}

}
