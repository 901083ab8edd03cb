package dev.realtime.it;

import java.util.Map;

import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On shutdown, events already published still reach the clients, which are then closed
 * with 4200 (reconnect now).
 */
class GracefulShutdownIntegrationTests {

	/**
	 * Properties choosing the transport; none for the default.
	 * @return the properties
	 */
	protected String[] transportProperties() {
		return new String[0];
	}

	/**
	 * The port clients open WebSockets on; the application's own port unless a transport
	 * has its own.
	 * @param context the running application
	 * @return the port
	 */
	protected int webSocketPort(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@Test
	void publishedEventsAreDeliveredBeforeClosingWith4200() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "realtime.apps[0].id=1", "realtime.apps[0].key=test-key",
					"realtime.apps[0].secret=s", "spring.main.banner-mode=off")
			.properties(transportProperties())
			.run();
		try (PusherTestClient client = PusherTestClient.connect(webSocketPort(context), "test-key")) {
			client.send("pusher:subscribe", Map.of("channel", "last-words"));
			client.expect("pusher_internal:subscription_succeeded");
			Realtime realtime = context.getBean(Realtime.class);
			for (int i = 0; i < 40; i++) {
				realtime.publish("last-words", "word", Map.of("i", i));
			}
			context.close();
			for (int i = 0; i < 40; i++) {
				assertThat(client.expect("word").get("data").get("i").asInt()).isEqualTo(i);
			}
			assertThat(client.awaitClose()).isEqualTo(4200);
		}
		finally {
			context.close();
		}
	}

}
