package dev.realtime.pusher;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.realtime.CloseReason;
import dev.realtime.Frame;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WebSocketConn}.
 */
class WebSocketConnTests {

	@Test
	void tomcatBlockingSendsAreLimitedToTheSendTimeout() {
		Session nativeSession = mock(Session.class);
		Map<String, Object> properties = new HashMap<>();
		given(nativeSession.getUserProperties()).willReturn(properties);
		StandardWebSocketSession session = new StandardWebSocketSession(new HttpHeaders(), Map.of(), null, null);
		session.initializeNativeSession(nativeSession);
		new WebSocketConn(session, new ProtocolStats(), Duration.ofSeconds(3));
		assertThat(properties).containsEntry(WebSocketConn.TOMCAT_BLOCKING_SEND_TIMEOUT, 3000L);
	}

	@Test
	void tomcatClosesWithACodeOtherThan1000GetTheSendTimeoutNot50Milliseconds() {
		Map<String, Object> limited = tomcatSessionProperties(Duration.ofSeconds(3));
		assertThat(limited).containsEntry(WebSocketConn.TOMCAT_CLOSE_SEND_TIMEOUT, 3000L);
		Map<String, Object> unlimited = tomcatSessionProperties(Duration.ZERO);
		assertThat(unlimited).containsEntry(WebSocketConn.TOMCAT_CLOSE_SEND_TIMEOUT, 20_000L)
			.doesNotContainKey(WebSocketConn.TOMCAT_BLOCKING_SEND_TIMEOUT);
	}

	private static Map<String, Object> tomcatSessionProperties(Duration sendTimeout) {
		Session nativeSession = mock(Session.class);
		Map<String, Object> properties = new HashMap<>();
		given(nativeSession.getUserProperties()).willReturn(properties);
		StandardWebSocketSession session = new StandardWebSocketSession(new HttpHeaders(), Map.of(), null, null);
		session.initializeNativeSession(nativeSession);
		new WebSocketConn(session, new ProtocolStats(), sendTimeout);
		return properties;
	}

	@Test
	void framesAreAdaptedOnceAndCounted() throws IOException {
		RecordingSession session = new RecordingSession();
		ProtocolStats stats = new ProtocolStats();
		WebSocketConn first = new WebSocketConn(session, stats, Duration.ZERO);
		WebSocketConn second = new WebSocketConn(session, stats, Duration.ZERO);
		Frame frame = Frame.text("{\"event\":\"é\"}");
		first.sendAll(List.of(frame));
		second.sendAll(List.of(frame, Frame.text("x")));
		assertThat(session.sent).hasSize(3);
		assertThat(session.sent.get(0)).isSameAs(session.sent.get(1)).isInstanceOf(TextMessage.class);
		assertThat(stats.messagesSent()).isEqualTo(3);
		int size = frame.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
		assertThat(size).isEqualTo(14);
		assertThat(stats.bytesSent()).isEqualTo(size + size + 1);
	}

	@Test
	void thePingFrameIsSentAsAWebSocketPing() throws IOException {
		RecordingSession session = new RecordingSession();
		new WebSocketConn(session, new ProtocolStats(), Duration.ZERO).sendAll(List.of(Frame.ping()));
		assertThat(session.sent).singleElement().isInstanceOf(PingMessage.class);
		assertThat(session.sent.get(0).getPayloadLength()).isZero();
	}

	@Test
	void closeUsesTheCodeAndNeverThrows() {
		RecordingSession session = new RecordingSession();
		WebSocketConn conn = new WebSocketConn(session, new ProtocolStats(), Duration.ZERO);
		conn.close(CloseCodes.PONG_NOT_RECEIVED);
		assertThat(session.closedWith).isEqualTo(new CloseStatus(4201, CloseCodes.PONG_NOT_RECEIVED.reason()));
		session.failClose = true;
		conn.close(new CloseReason(4200, "again"));
	}

	private static final class RecordingSession extends WebSocketSessionDecorator {

		final List<WebSocketMessage<?>> sent = new java.util.ArrayList<>();

		CloseStatus closedWith;

		boolean failClose;

		RecordingSession() {
			super(new StandardWebSocketSession(new HttpHeaders(), Map.of(), null, null));
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) {
			this.sent.add(message);
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			if (this.failClose) {
				throw new IOException("broken");
			}
			this.closedWith = status;
		}

	}

}
