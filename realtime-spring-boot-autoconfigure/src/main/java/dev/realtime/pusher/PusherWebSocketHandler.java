package dev.realtime.pusher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

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
 * The Servlet transport: Spring WebSocket sessions handed to the {@link PusherServer}.
 * <p>
 * A rejected handshake is answered on the session directly, before any hub writer exists.
 */
public final class PusherWebSocketHandler implements WebSocketHandler {

	/** The session attribute holding the {@link PusherConnection}. */
	public static final String CONNECTION_ATTRIBUTE = PusherConnection.class.getName();

	private static final Log logger = LogFactory.getLog(PusherWebSocketHandler.class);

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private final PusherServer server;

	private final Duration sendTimeout;

	/**
	 * Largest message assembled from parts: up to the limit a message is handled, beyond it
	 * it gets a non-fatal pusher:error, beyond twice the limit the connection is closed.
	 */
	private final int maxAssembledMessage;

	private final ProtocolStats stats;

	/**
	 * Create the handler.
	 * @param server the protocol
	 * @param stats counters
	 * @param sendTimeout longest blocking send, see {@link WebSocketConn}
	 */
	public PusherWebSocketHandler(PusherServer server, ProtocolStats stats, Duration sendTimeout) {
		this.server = server;
		this.stats = stats;
		this.sendTimeout = sendTimeout;
		this.maxAssembledMessage = (int) Math.min(Integer.MAX_VALUE, 2L * server.settings().maxMessageSize());
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		String key = (String) session.getAttributes().get(AppKeyHandshakeInterceptor.APP_KEY_ATTRIBUTE);
		try {
			PusherConnection connection = this.server.open(key, queryParameter(session.getUri(), "protocol"),
					peer(session), forwardedFor(session), new WebSocketConn(session, this.stats, this.sendTimeout));
			session.getAttributes().put(CONNECTION_ATTRIBUTE, connection);
		}
		catch (PusherException ex) {
			reject(session, ex);
		}
		catch (HubClosedException ex) {
			closeQuietly(session, CloseCodes.GOING_AWAY.code(), CloseCodes.GOING_AWAY.reason());
		}
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		PusherConnection connection = (PusherConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
		if (connection == null) {
			return;
		}
		if (message instanceof PongMessage) {
			this.server.received(connection, message.getPayloadLength());
			return;
		}
		if (!(message instanceof TextMessage text)) {
			this.server.received(connection, message.getPayloadLength());
			if (this.server.allowed(connection)) {
				this.server.reject(connection, new InvalidMessageException("Binary messages are not supported"));
			}
			return;
		}
		String part = text.getPayload();
		this.server.received(connection, WebSocketConn.utf8Length(part));
		String payload;
		try {
			payload = connection.assemble(part, text.isLast(), this.maxAssembledMessage);
		}
		catch (MessageTooLargeException ex) {
			this.server.transportError();
			closeQuietly(session, CloseStatus.TOO_BIG_TO_PROCESS.getCode(), ex.getMessage());
			return;
		}
		if (payload != null) {
			this.server.message(connection, payload);
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
			this.server.closed(connection, closeStatus.getCode());
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

	private static @Nullable InetAddress peer(WebSocketSession session) {
		InetSocketAddress remote = session.getRemoteAddress();
		return (remote != null) ? remote.getAddress() : null;
	}

	private static @Nullable String forwardedFor(WebSocketSession session) {
		List<String> values = session.getHandshakeHeaders().get(FORWARDED_FOR);
		return (values == null || values.isEmpty()) ? null : String.join(",", values);
	}

	private static @Nullable String queryParameter(@Nullable URI uri, String name) {
		if (uri == null) {
			return null;
		}
		return UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
	}

}
