package dev.realtime.pusher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A hub connection over a Spring {@link WebSocketSession}.
 * <p>
 * Each frame becomes a WebSocket message once, however many connections it goes to
 * ({@link Frame#adapt}). Spring's session API has no batching, so where the session is a
 * standard (JSR 356) one the frames of a batch are written through its basic remote
 * endpoint with batching allowed and flushed once (Tomcat then writes them in one go);
 * otherwise they are sent one by one through Spring.
 */
final class WebSocketConn implements Conn {

	private final WebSocketSession session;

	private final ProtocolStats stats;

	private final RemoteEndpoint.@Nullable Basic batchingRemote;

	WebSocketConn(WebSocketSession session, ProtocolStats stats) {
		this.session = session;
		this.stats = stats;
		this.batchingRemote = batchingRemote(session);
	}

	private static RemoteEndpoint.@Nullable Basic batchingRemote(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof Session standard) {
			try {
				RemoteEndpoint.Basic remote = standard.getBasicRemote();
				remote.setBatchingAllowed(true);
				return remote;
			}
			catch (IOException | RuntimeException ex) {
				return null;
			}
		}
		return null;
	}

	@Override
	public void sendAll(List<Frame> frames) throws IOException {
		long bytes = 0;
		if (this.batchingRemote != null) {
			for (Frame frame : frames) {
				Outbound outbound = frame.adapt(Outbound::of);
				if (outbound.message() instanceof TextMessage text) {
					this.batchingRemote.sendText(text.getPayload());
				}
				else {
					this.batchingRemote.sendBinary(ByteBuffer.wrap(frame.bytes()));
				}
				bytes += outbound.size();
			}
			this.batchingRemote.flushBatch();
		}
		else {
			for (Frame frame : frames) {
				Outbound outbound = frame.adapt(Outbound::of);
				this.session.sendMessage(outbound.message());
				bytes += outbound.size();
			}
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

	/**
	 * A frame as a Spring message, with its size on the wire (UTF-8), computed once.
	 */
	record Outbound(WebSocketMessage<?> message, int size) {

		static Outbound of(Frame frame) {
			if (frame.isBinary()) {
				byte[] bytes = frame.bytes();
				return new Outbound(new BinaryMessage(bytes), bytes.length);
			}
			String text = frame.text();
			return new Outbound(new TextMessage(text), utf8Length(text));
		}

		static int utf8Length(String text) {
			int length = text.length();
			int bytes = length;
			for (int i = 0; i < length; i++) {
				char c = text.charAt(i);
				if (c >= 0x80) {
					if (c < 0x800) {
						bytes += 1;
					}
					else if (Character.isHighSurrogate(c)) {
						// A surrogate pair is 4 bytes in UTF-8: 2 chars, 2 more bytes.
						bytes += 2;
						i++;
					}
					else {
						bytes += 2;
					}
				}
			}
			return bytes;
		}

	}

	static int utf8Length(String text) {
		return Outbound.utf8Length(text);
	}

}
