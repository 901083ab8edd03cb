package dev.realtime.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;

import dev.realtime.Hub;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading is disconnected by the slow-consumer policy while another
 * client on the same channel receives every event.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s",
				"realtime.outbox.capacity=4", "realtime.outbox.slow-consumer-policy=disconnect-client",
				"realtime.outbox.send-timeout=2s" })
class SlowConsumerIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Realtime realtime;

	@Autowired
	private Hub hub;

	@Test
	void aClientThatStopsReadingIsDisconnectedAndOthersGetEverything() {
		WebSocket stalled = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/app/test-key?protocol=7"), new StalledListener())
			.join();
		stalled.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"firehose\"}}", true).join();
		try (PusherTestClient good = PusherTestClient.connect(this.port, "test-key")) {
			good.send("pusher:subscribe", Map.of("channel", "firehose"));
			good.expect("pusher_internal:subscription_succeeded");
			await().until(() -> this.hub.channelCount("firehose") == 2);
			String payload = "x".repeat(16 * 1024);
			int sent = 0;
			// One event at a time, so the reading client never has more than one queued.
			while (this.hub.slowConsumerDisconnects() == 0 && sent < 5000) {
				this.realtime.publish("firehose", "chunk", payload);
				good.expect("chunk");
				sent++;
			}
			assertThat(this.hub.slowConsumerDisconnects()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.hub.channelCount("firehose") == 1);
			this.realtime.publish("firehose", "after", "{}");
			good.expect("after");
		}
		finally {
			stalled.abort();
		}
	}

	/** Never asks for a message: the JDK client then stops reading the socket. */
	private static final class StalledListener implements WebSocket.Listener {

		@Override
		public void onOpen(WebSocket webSocket) {
		}

	}

}
