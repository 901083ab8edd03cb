package dev.realtime.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.realtime.pusher.App;
import dev.realtime.pusher.PusherSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configurable limits: presence members, user info size, client events switched off,
 * message size (up to max-frame-size handled, up to twice that refused with a pusher:error,
 * beyond that the connection is closed with 1009).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"realtime.presence.max-members=1", "realtime.presence.max-user-info-size=32B",
				"realtime.client-events.enabled=false", "realtime.max-frame-size=4KB" })
class LimitsIntegrationTests {

	private static final App APP = new App("1", "test-key", "secret");

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

	private final List<PusherTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	private PusherTestClient connect() {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(), "test-key");
		this.clients.add(client);
		return client;
	}

	private void subscribePresence(PusherTestClient client, String channel, String channelData) {
		client.send("pusher:subscribe", Map.of("channel", channel, "auth",
				PusherSignatures.channelAuth(APP, client.socketId(), channel, channelData), "channel_data",
				channelData));
	}

	@Test
	void aFullPresenceChannelRefusesNewMembersButNotMoreTabsOfAMember() {
		PusherTestClient first = connect();
		subscribePresence(first, "presence-small", "{\"user_id\":\"1\"}");
		first.expect("pusher_internal:subscription_succeeded");
		PusherTestClient sameUser = connect();
		subscribePresence(sameUser, "presence-small", "{\"user_id\":\"1\"}");
		sameUser.expect("pusher_internal:subscription_succeeded");
		PusherTestClient second = connect();
		subscribePresence(second, "presence-small", "{\"user_id\":\"2\"}");
		JsonNode error = second.expect("pusher:subscription_error");
		assertThat(error.get("data").get("type").stringValue()).isEqualTo("LimitReached");
	}

	@Test
	void userInfoOverTheLimitIsRefused() {
		PusherTestClient client = connect();
		subscribePresence(client, "presence-big", "{\"user_id\":\"1\",\"user_info\":{\"bio\":\"" + "x".repeat(64) + "\"}}");
		JsonNode error = client.expect("pusher:subscription_error");
		assertThat(error.get("data").get("error").stringValue()).contains("user_info");
	}

	@Test
	void numericUserIdsAreAccepted() {
		PusherTestClient client = connect();
		subscribePresence(client, "presence-numeric", "{\"user_id\":10,\"user_info\":{\"n\":1}}");
		JsonNode succeeded = client.expect("pusher_internal:subscription_succeeded");
		assertThat(succeeded.get("data").get("presence").get("ids").get(0).stringValue()).isEqualTo("10");
	}

	@Test
	void clientEventsCanBeSwitchedOff() {
		PusherTestClient client = connect();
		String channel = "private-quiet";
		client.send("pusher:subscribe",
				Map.of("channel", channel, "auth", PusherSignatures.channelAuth(APP, client.socketId(), channel, null)));
		client.expect("pusher_internal:subscription_succeeded");
		client.sendOnChannel("client-x", channel, Map.of());
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("disabled");
	}

	@Test
	void messagesBetweenTheLimitAndTwiceItGetAnErrorAndTheConnectionStays() {
		PusherTestClient client = connect();
		client.send("pusher:ping", Map.of("pad", "x".repeat(5 * 1024)));
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("too large");
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
		assertThat(client.isClosed()).isFalse();
	}

	@Test
	void messagesBeyondTwiceTheLimitCloseTheConnectionWith1009() {
		PusherTestClient client = connect();
		client.send("pusher:ping", Map.of("pad", "x".repeat(9 * 1024)));
		assertThat(client.awaitClose()).isEqualTo(1009);
	}

	@Test
	void aMessageInPartsWithinTheLimitIsHandledAsOne() {
		PusherTestClient client = connect();
		client.sendInParts("{\"event\":\"pusher:ping\",\"data\":{\"pad\":\"" + "x".repeat(1500),
				"x".repeat(1500), "\"}}");
		client.expect("pusher:pong");
	}

	@Test
	void aMessageInPartsBetweenTheLimitAndTwiceItGetsAnError() {
		PusherTestClient client = connect();
		client.sendInParts("{\"event\":\"pusher:ping\",\"data\":{\"pad\":\"" + "x".repeat(3000),
				"x".repeat(3000), "\"}}");
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("too large");
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
	}

	@Test
	void aMessageInPartsBeyondTwiceTheLimitClosesTheConnectionWith1009() {
		PusherTestClient client = connect();
		client.sendInParts("{\"event\":\"pusher:ping\",\"data\":{\"pad\":\"" + "x".repeat(3000),
				"x".repeat(3000), "x".repeat(3000), "\"}}");
		assertThat(client.awaitClose()).isEqualTo(1009);
	}

}
