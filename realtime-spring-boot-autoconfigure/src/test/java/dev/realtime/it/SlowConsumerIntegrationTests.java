package dev.realtime.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.realtime.Client;
import dev.realtime.Hub;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading is disconnected by the slow-consumer policy while another
 * client on the same channel receives every event, in order.
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

	/**
	 * The port clients open WebSockets on; the application's own port unless a transport
	 * has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@Test
	void aClientThatStopsReadingIsDisconnectedAndOthersGetEverything() {
		flood("firehose");
	}

	/**
	 * Publish 16 KB events one at a time to a channel with a reading and a stalled
	 * client until the stalled one is disconnected as a slow consumer; the reading one gets
	 * each event, in order.
	 * @param channel the channel
	 * @return whether the stalled client's transport was seen refusing writes meanwhile
	 */
	protected boolean flood(String channel) {
		long disconnectsBefore = this.hub.slowConsumerDisconnects();
		StalledListener listener = new StalledListener();
		WebSocket stalled = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + webSocketPort() + "/app/test-key?protocol=7"), listener)
			.join();
		String stalledId = listener.socketId();
		stalled.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}", true).join();
		boolean sawUnwritable = false;
		try (PusherTestClient good = PusherTestClient.connect(webSocketPort(), "test-key")) {
			good.send("pusher:subscribe", Map.of("channel", channel));
			good.expect("pusher_internal:subscription_succeeded");
			await().until(() -> this.hub.channelCount(channel) == 2);
			String payload = "x".repeat(16 * 1024);
			int sent = 0;
			// One event at a time, so the reading client never has more than one queued.
			while (this.hub.slowConsumerDisconnects() == disconnectsBefore && sent < 5000) {
				this.realtime.publish(channel, "chunk", Map.of("n", sent, "pad", payload));
				assertThat(good.expect("chunk").get("data").get("n").asInt()).isEqualTo(sent);
				sent++;
				Client client = this.hub.client(stalledId);
				sawUnwritable |= client != null && !client.conn().isWritable();
			}
			assertThat(this.hub.slowConsumerDisconnects()).isEqualTo(disconnectsBefore + 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.hub.channelCount(channel) == 1);
			this.realtime.publish(channel, "after", "{}");
			good.expect("after");
		}
		finally {
			stalled.abort();
		}
		return sawUnwritable;
	}

	/**
	 * Reads connection_established, then never asks for another message: the JDK client
	 * then stops reading the socket.
	 */
	static final class StalledListener implements WebSocket.Listener {

		private final CompletableFuture<String> established = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.established.complete(JsonMapper.shared()
				.readTree(JsonMapper.shared().readTree(data.toString()).get("data").stringValue())
				.get("socket_id")
				.stringValue());
			return null;
		}

		String socketId() {
			return this.established.orTimeout(5, TimeUnit.SECONDS).join();
		}

	}

}
