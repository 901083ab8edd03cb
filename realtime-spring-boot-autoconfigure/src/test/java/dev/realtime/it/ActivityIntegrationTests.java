package dev.realtime.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server pings after the activity timeout (the pusher:ping event for protocol 7, a WebSocket
 * ping for older versions) and closes with 4201 when the pong is missing.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s",
				"realtime.activity-timeout=1s", "realtime.pong-timeout=1s" })
class ActivityIntegrationTests {

	@LocalServerPort
	private int port;

	/**
	 * The port clients open WebSockets on; the application's own port unless a transport
	 * has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@Test
	void activityTimeoutIsToldToTheClient() {
		try (PusherTestClient client = PusherTestClient.open(webSocketPort(), "/app/test-key?protocol=7")) {
			JsonNode established = client.expect("pusher:connection_established");
			assertThat(established.get("data").get("activity_timeout").asInt()).isEqualTo(1);
		}
	}

	@Test
	void silentClientIsPingedThenClosedWith4201() {
		try (PusherTestClient client = PusherTestClient.connect(webSocketPort(), "test-key")) {
			client.expect("pusher:ping");
			assertThat(client.awaitClose()).isEqualTo(4201);
		}
	}

	@Test
	void olderProtocolIsPingedWithWebSocketPingsAndStaysConnectedOnTheirPongs() {
		// The Java client (protocol 5) ignores pusher:ping; its WebSocket answers pings.
		try (PusherTestClient client = PusherTestClient.open(webSocketPort(),
				"/app/test-key?protocol=5&client=java-client&version=2.4.4")) {
			client.expect("pusher:connection_established");
			// Two activity timeouts and a pong timeout with no message from either side,
			// while the JDK client answers the server's ping frames by itself.
			assertThat(client.poll(Duration.ofMillis(4500))).as("no pusher:ping event for protocol 5").isNull();
			assertThat(client.pings()).isPositive();
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void clientAnsweringPingsStaysConnected() {
		try (PusherTestClient client = PusherTestClient.connect(webSocketPort(), "test-key")) {
			long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
			while (System.nanoTime() < until) {
				client.expect("pusher:ping");
				client.send("pusher:pong", Map.of());
			}
			assertThat(client.isClosed()).isFalse();
		}
	}

}
