package dev.realtime.pusher;

import java.io.IOException;
import java.net.URI;

import dev.realtime.Client;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Pusher protocol over Spring WebSocket: the handshake (app key, protocol version,
 * {@code pusher:connection_established}), the messages (to {@link PusherEventHandler}),
 * the errors, and the hub's bookkeeping when a connection closes.
 * <p>
 * Everything sent to an accepted connection goes through its hub outbox, so its single
 * writer keeps the order; a rejected handshake is answered directly before any writer
 * exists.
 */
public final class PusherWebSocketHandler implements WebSocketHandler {

	/** The session attribute holding the {@link PusherConnection}. */
	public static final String CONNECTION_ATTRIBUTE = PusherConnection.class.getName();

	private static final Log logger = LogFactory.getLog(PusherWebSocketHandler.class);

	private final Hub hub;

	private final AppRegistry apps;

	private final PusherConnections connections;

	private final PusherEventHandler events;

	private final ProtocolSettings settings;

	private final ProtocolStats stats;

	/**
	 * Largest message assembled from parts: up to the limit a message is handled, beyond it
	 * it gets a non-fatal pusher:error, beyond twice the limit the connection is closed.
	 */
	private final int maxAssembledMessage;

	/**
	 * Create the handler.
	 * @param hub the hub
	 * @param apps the apps clients connect to
	 * @param connections the registry of this node's connections
	 * @param events handles the messages
	 * @param settings limits and timeouts
	 * @param stats counters
	 */
	public PusherWebSocketHandler(Hub hub, AppRegistry apps, PusherConnections connections, PusherEventHandler events,
			ProtocolSettings settings, ProtocolStats stats) {
		this.hub = hub;
		this.apps = apps;
		this.connections = connections;
		this.events = events;
		this.settings = settings;
		this.stats = stats;
		this.maxAssembledMessage = (int) Math.min(Integer.MAX_VALUE, 2L * settings.maxMessageSize());
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		App app;
		try {
			app = app(session);
			PusherProtocol.check(queryParameter(session.getUri(), "protocol"));
		}
		catch (PusherException ex) {
			reject(session, ex);
			return;
		}
		Client client;
		try {
			client = this.hub.add(new WebSocketConn(session, this.stats, this.hub.config().sendTimeout()));
		}
		catch (HubClosedException ex) {
			closeQuietly(session, CloseCodes.GOING_AWAY.code(), CloseCodes.GOING_AWAY.reason());
			return;
		}
		long now = System.nanoTime();
		PusherConnection connection = new PusherConnection(app, client,
				new RateLimiter(this.settings.clientEventRateLimit(), now), now);
		session.getAttributes().put(CONNECTION_ATTRIBUTE, connection);
		this.connections.add(connection);
		this.hub.sendTo(client.id(),
				PusherFrames.connectionEstablished(client.id(), this.settings.activityTimeout().toSeconds()));
	}

	private App app(WebSocketSession session) {
		String key = (String) session.getAttributes().get(AppKeyHandshakeInterceptor.APP_KEY_ATTRIBUTE);
		App app = (key != null) ? this.apps.findByKey(key) : this.apps.defaultApp();
		if (app == null) {
			throw new UnknownAppException(key);
		}
		return app;
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		PusherConnection connection = (PusherConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
		if (connection == null) {
			return;
		}
		connection.touch(System.nanoTime());
		if (message instanceof PongMessage) {
			return;
		}
		try {
			if (message instanceof TextMessage text) {
				String part = text.getPayload();
				this.stats.received(WebSocketConn.utf8Length(part));
				String payload = connection.assemble(part, text.isLast(), this.maxAssembledMessage);
				if (payload != null) {
					this.events.handle(connection, payload);
				}
			}
			else {
				this.stats.received(message.getPayloadLength());
				throw new InvalidMessageException("Binary messages are not supported");
			}
		}
		catch (PusherException ex) {
			report(connection, ex);
		}
		catch (MessageTooLargeException ex) {
			this.stats.error();
			closeQuietly(session, CloseStatus.TOO_BIG_TO_PROCESS.getCode(), ex.getMessage());
		}
		catch (HubClosedException ex) {
			// Shutting down: the connection is being closed with 4200.
		}
		catch (RuntimeException ex) {
			logger.debug("Message from " + connection.socketId() + " failed", ex);
			report(connection, new InvalidMessageException("Invalid message"));
		}
	}

	private void report(PusherConnection connection, PusherException ex) {
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

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		if (logger.isTraceEnabled()) {
			logger.trace("Transport error on " + session.getId(), exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		PusherConnection connection = (PusherConnection) session.getAttributes().remove(CONNECTION_ATTRIBUTE);
		if (connection != null) {
			this.connections.remove(connection);
			this.hub.remove(connection.client());
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		// The container's per-connection message buffer can then stay at its default
		// (8K characters) rather than be raised to the largest message allowed; larger
		// messages arrive in parts (see PusherConnection.assemble).
		return true;
	}

	private void reject(WebSocketSession session, PusherException ex) {
		this.stats.error();
		try {
			session.sendMessage(new TextMessage(ex.toFrame().text()));
		}
		catch (IOException | RuntimeException sendFailure) {
			// The close below still tells the client.
		}
		CloseStatus status = (ex.closeReason() != null)
				? new CloseStatus(ex.closeReason().code(), ex.closeReason().reason()) : CloseStatus.POLICY_VIOLATION;
		closeQuietly(session, status.getCode(), status.getReason());
	}

	private static void closeQuietly(WebSocketSession session, int code, @Nullable String reason) {
		try {
			session.close(new CloseStatus(code, reason));
		}
		catch (IOException | RuntimeException ex) {
			// Already gone.
		}
	}

	private static @Nullable String queryParameter(@Nullable URI uri, String name) {
		if (uri == null) {
			return null;
		}
		return UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
	}

}
