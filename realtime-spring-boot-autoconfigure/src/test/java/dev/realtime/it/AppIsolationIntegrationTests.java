package dev.realtime.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apps as tenants on one node, over real WebSockets, the HTTP API driven by the Pusher
 * server SDK and real webhook receivers; plus the per-app settings.
 */
class AppIsolationIntegrationTests extends AppIsolationScenarios {

	private ConfigurableApplicationContext node;

	@Override
	void startNodes() {
		this.node = new SpringApplicationBuilder(TestApplication.class).properties(appProperties())
			.properties(transportProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"realtime.apps[1].presence-max-members=1", "realtime.apps[1].max-payload-size=16B")
			.run();
	}

	@Override
	void stopNodes() {
		this.node.close();
	}

	@Override
	ConfigurableApplicationContext receiving() {
		return this.node;
	}

	@Override
	ConfigurableApplicationContext publishing() {
		return this.node;
	}

	@Override
	void awaitHeld(String appId, String channel) {
		// One node: a subscribed channel receives at once.
	}

	@Test
	void aDisabledAppRefusesConnectionsWith4003AndItsHttpApiWith403() {
		PusherTestClient client = PusherTestClient.open(webSocketPort(this.node), "/app/key-c?protocol=7");
		assertThat(client.expect("pusher:error").get("data").get("code").asInt()).isEqualTo(4003);
		assertThat(client.awaitClose()).isEqualTo(4003);
		assertThat(sdk("c", "key-c", "secret-c").trigger("any", "e", "x").getHttpStatus()).isEqualTo(403);
	}

	@Test
	void eachAppHasItsOwnPresenceLimitAndPayloadLimit() {
		String channel = name("presence-small");
		subscribeAuthorized(connect(KEY_B), "hank", channel);
		PusherTestClient second = connect(KEY_B);
		JsonNode auth = new AuthClient(port(this.node)).authorize("ivy", second.socketId(),
				channel);
		second.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		assertThat(second.expect("pusher:subscription_error").toString()).contains("LimitReached");
		// App a keeps the server's limit of 100.
		subscribeAuthorized(connect(KEY_A), "hank", channel);
		subscribeAuthorized(connect(KEY_A), "ivy", channel);
		assertThat(sdk("b", KEY_B, SECRET_B).trigger("big", "e", "x".repeat(17)).getHttpStatus()).isEqualTo(413);
		assertThat(sdk("a", KEY_A, SECRET_A).trigger("big", "e", "x".repeat(17)).getHttpStatus()).isEqualTo(200);
		second.expectNothing(Duration.ofMillis(100));
	}

}
