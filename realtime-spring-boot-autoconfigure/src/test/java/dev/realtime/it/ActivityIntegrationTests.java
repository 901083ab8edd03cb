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
 * Server pings after the activity timeout and closes with 4201 when the pong is missing.
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
