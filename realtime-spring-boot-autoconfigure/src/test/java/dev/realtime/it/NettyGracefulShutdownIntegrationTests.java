package dev.realtime.it;

import java.time.Duration;
import java.util.Map;

import dev.realtime.Hub;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The graceful shutdown over the Netty transport ({@code realtime.transport=netty}): the
 * hub flushes and closes every connection with 4200 before the Netty server stops.
 */
class NettyGracefulShutdownIntegrationTests extends GracefulShutdownIntegrationTests {

	@Override
	protected String[] transportProperties() {
		return new String[] { "realtime.transport=netty", "realtime.netty.port=0" };
	}

	@Override
	protected int webSocketPort(ConfigurableApplicationContext context) {
		return context.getBean(NettyRealtimeServer.class).port();
	}

	/**
	 * Large frames to a client that reads them slowly: when the hub has handed over the
	 * last of them and closed the connection, the socket's buffers are full and Netty's
	 * outbound buffer still holds frames and the close frame. They must reach the client
	 * before the event loops stop, and the socket must stay open until the client has
	 * read up to the close frame and answered it.
	 */
	@Test
	void largeFramesStillOnTheSocketAreDeliveredBeforeClosingWith4200() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "realtime.apps[0].id=1", "realtime.apps[0].key=test-key",
					"realtime.apps[0].secret=s", "spring.main.banner-mode=off", "realtime.outbox.capacity=256")
			.properties(transportProperties())
			.run();
		String pad = "p".repeat(64 * 1024);
		try (PusherTestClient client = PusherTestClient.connect(webSocketPort(context), "test-key",
				Duration.ofMillis(10))) {
			client.send("pusher:subscribe", Map.of("channel", "big-words"));
			client.expect("pusher_internal:subscription_succeeded");
			Realtime realtime = context.getBean(Realtime.class);
			Hub hub = context.getBean(Hub.class);
			long queued = hub.deliveries();
			for (int i = 0; i < 100; i++) {
				realtime.publish("big-words", "word", Map.of("i", i, "pad", pad));
			}
			// In the hub's outbox, not in the broadcaster's buffers, which its close drops.
			await().until(() -> hub.deliveries() == queued + 100);
			context.close();
			for (int i = 0; i < 100; i++) {
				assertThat(client.expect("word").get("data").get("i").asInt()).isEqualTo(i);
			}
			assertThat(client.awaitClose()).isEqualTo(4200);
		}
		finally {
			context.close();
		}
	}

}
