package dev.realtime.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;

import dev.realtime.Client;
import dev.realtime.Hub;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The send watchdog over the Netty transport, whose writes never block: a socket that
 * stays above its high-water mark keeps the connection's writer waiting, which the
 * watchdog treats as a send that never returns and closes (4202), while under the
 * {@code drop-message} policy the full outbox only drops frames.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s",
				"realtime.outbox.capacity=64", "realtime.outbox.slow-consumer-policy=drop-message",
				"realtime.outbox.send-timeout=1s", "realtime.transport=netty", "realtime.netty.port=0",
				"realtime.netty.write-buffer-high-water-mark=32KB" })
class NettySendTimeoutIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Autowired
	private Realtime realtime;

	@Autowired
	private Hub hub;

	@Test
	void aSocketThatNeverDrainsIsClosedByTheSendWatchdog() {
		SlowConsumerIntegrationTests.StalledListener listener = new SlowConsumerIntegrationTests.StalledListener();
		WebSocket stalled = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.server.port() + "/app/test-key?protocol=7"), listener)
			.join();
		String stalledId = listener.socketId();
		stalled.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"trickle\"}}", true).join();
		try (PusherTestClient good = PusherTestClient.connect(this.server.port(), "test-key")) {
			good.send("pusher:subscribe", Map.of("channel", "trickle"));
			good.expect("pusher_internal:subscription_succeeded");
			await().until(() -> this.hub.channelCount("trickle") == 2);
			long droppedBefore = this.hub.dropped();
			String payload = "x".repeat(16 * 1024);
			int sent = 0;
			boolean sawUnwritable = false;
			while (this.hub.dropped() == droppedBefore && sent < 5000) {
				this.realtime.publish("trickle", "chunk", Map.of("n", sent, "pad", payload));
				assertThat(good.expect("chunk").get("data").get("n").asInt()).isEqualTo(sent);
				sent++;
				Client client = this.hub.client(stalledId);
				sawUnwritable |= client != null && !client.conn().isWritable();
			}
			assertThat(sawUnwritable).isTrue();
			assertThat(this.hub.client(stalledId)).as("kept by drop-message").isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.hub.client(stalledId) == null);
			assertThat(this.hub.slowConsumerDisconnects()).isZero();
			assertThat(this.hub.channelCount("trickle")).isEqualTo(1);
			this.realtime.publish("trickle", "after", "{}");
			good.expect("after");
		}
		finally {
			stalled.abort();
		}
	}

}
