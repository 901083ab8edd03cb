package dev.realtime.pusher;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A hub connection over a Spring {@link WebSocketSession}.
 * <p>
 * Each frame becomes a Spring message once, however many connections it goes to
 * ({@link Frame#adapt}), with its UTF-8 size computed at the same time for the metrics.
 * <p>
 * A batch is written message by message: Spring's session API has no batching, and the
 * standard API's batching mode ({@code RemoteEndpoint.Basic.setBatchingAllowed} plus
 * {@code flushBatch}) left frames unsent on Tomcat 11 in our integration tests. The writer
 * still saves the per-message wake-ups, and Tomcat writes each message without copying
 * when it fits its output buffer.
 */
final class WebSocketConn implements Conn {

	private final WebSocketSession session;

	private final ProtocolStats stats;

	/** Tomcat's per-session limit on a blocking send, in milliseconds (a {@code Long}). */
	static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/**
	 * Tomcat's per-session limit on sending a close frame with a code other than 1000, in
	 * milliseconds (a {@code Long}; 50 by default).
	 */
	static final String TOMCAT_CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

	/** What Tomcat allows a blocking send, close frames with code 1000 included. */
	private static final long TOMCAT_DEFAULT_BLOCKING_SEND_TIMEOUT = 20_000;

	WebSocketConn(WebSocketSession session, ProtocolStats stats, Duration sendTimeout) {
		this.session = session;
		this.stats = stats;
		limitBlockingSends(session, sendTimeout);
	}

	/**
	 * Make a blocked send give up after the hub's send timeout (Tomcat waits 20 s by
	 * default), so a stuck writer fails by itself and a close racing with it is not held up
	 * longer than that. A close frame with any code but 1000 gets the same time: Tomcat
	 * gives it 50 ms by default and then drops the connection without it, so on a loaded
	 * machine a client now and then saw 1006 instead of the 1009, 4100 or 4201 it was
	 * closed with. Other containers ignore the properties.
	 */
	private static void limitBlockingSends(WebSocketSession session, Duration sendTimeout) {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof jakarta.websocket.Session standard) {
			long millis = sendTimeout.isZero() ? TOMCAT_DEFAULT_BLOCKING_SEND_TIMEOUT : sendTimeout.toMillis();
			if (!sendTimeout.isZero()) {
				standard.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
			}
			standard.getUserProperties().put(TOMCAT_CLOSE_SEND_TIMEOUT, millis);
		}
	}

	@Override
	public void sendAll(List<Frame> frames) throws IOException {
		long bytes = 0;
		for (Frame frame : frames) {
			Outbound outbound = frame.adapt(Outbound.ADAPTER);
			this.session.sendMessage(outbound.message());
			bytes += outbound.size();
		}
		this.stats.sent(frames.size(), bytes);
	}

	@Override
	public void close(CloseReason reason) {
		try {
			this.session.close(new CloseStatus(reason.code(), reason.reason()));
		}
		catch (IOException | RuntimeException ex) {
			// Already closed or broken: the container reports the close to the handler.
		}
	}

	static int utf8Length(String text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				continue;
			}
			if (c < 0x800) {
				bytes += 1;
			}
			else if (!Character.isSurrogate(c)) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				// A surrogate pair: 2 chars, 4 bytes.
				bytes += 2;
				i++;
			}
			// A lone surrogate is encoded as '?', one byte.
		}
		return bytes;
	}

	/**
	 * A frame as a Spring message, with its size on the wire.
	 */
	record Outbound(WebSocketMessage<?> message, int size) {

		/** One instance, so that {@link Frame#adapt} recognizes its own cached form. */
		static final Function<Frame, Outbound> ADAPTER = Outbound::of;

		static Outbound of(Frame frame) {
			if (frame.isPing()) {
				return new Outbound(new PingMessage(), 0);
			}
			if (frame.isBinary()) {
				byte[] bytes = frame.bytes();
				return new Outbound(new BinaryMessage(bytes), bytes.length);
			}
			String text = frame.text();
			return new Outbound(new TextMessage(text), utf8Length(text));
		}

	}

}
