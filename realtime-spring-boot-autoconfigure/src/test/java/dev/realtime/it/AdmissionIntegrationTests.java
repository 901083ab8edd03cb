package dev.realtime.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.realtime.pusher.App;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission and per-connection limits over real WebSockets: app quotas (4004, each app
 * counted on its own), connections
 * and connect rate per client address behind a trusted proxy (4100), channels per
 * connection, and the message rate (4301, then a close when the flood goes on). The test
 * connects from loopback, which is a trusted proxy here, and names each client address
 * with {@code X-Forwarded-For}; each test uses addresses of its own.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"realtime.apps[1].id=2", "realtime.apps[1].key=quota-key", "realtime.apps[1].secret=secret2",
				"realtime.apps[1].max-connections=2", "realtime.apps[2].id=3", "realtime.apps[2].key=quota-a-key",
				"realtime.apps[2].secret=secret3", "realtime.apps[2].max-connections=2", "realtime.apps[3].id=4",
				"realtime.apps[3].key=quota-b-key", "realtime.apps[3].secret=secret4",
				"realtime.apps[3].max-connections=2", "realtime.limits.max-connections-per-ip=2",
				"realtime.limits.connect-rate-per-ip=3", "realtime.limits.trusted-proxies=127.0.0.1,::1",
				"realtime.limits.max-channels-per-connection=3", "realtime.limits.message-rate=5",
				"realtime.limits.message-burst=8" })
class AdmissionIntegrationTests {

	private static final App APP = new App("1", "test-key", "secret");

	@LocalServerPort
	private int port;

	@Autowired
	private ProtocolStats stats;

	private final List<PusherTestClient> clients = new ArrayList<>();

	/**
	 * The port clients open WebSockets on; the application's own port unless a transport
	 * has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	private PusherTestClient connectFrom(String address, String key) {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(), key, Map.of("X-Forwarded-For", address));
		this.clients.add(client);
		return client;
	}

	/** Open a connection that must be refused, and return the code of its pusher:error. */
	private int refusedFrom(String address, String key, int closeCode) {
		PusherTestClient client = PusherTestClient.open(webSocketPort(),
				"/app/" + key + "?protocol=7&client=js&version=8.4.0", Map.of("X-Forwarded-For", address));
		this.clients.add(client);
		JsonNode error = client.expect("pusher:error");
		assertThat(client.awaitClose()).isEqualTo(closeCode);
		return error.get("data").get("code").intValue();
	}

	@Test
	void anAppOverItsQuotaIsRefusedWith4004() {
		connectFrom("198.51.100.10", "quota-key");
		connectFrom("198.51.100.11", "quota-key");
		assertThat(refusedFrom("198.51.100.12", "quota-key", 4004)).isEqualTo(4004);
		// Other apps are not affected.
		connectFrom("198.51.100.12", "test-key");
	}

	@Test
	void eachAppIsCountedAgainstItsOwnQuota() {
		// Apps 3 and 4 (of this test only) have a quota of 2 each: a count shared by the apps
		// would refuse app 4 once app 3 is full.
		connectFrom("198.51.100.13", "quota-a-key");
		connectFrom("198.51.100.14", "quota-a-key");
		assertThat(refusedFrom("198.51.100.15", "quota-a-key", 4004)).isEqualTo(4004);
		PusherTestClient inB = connectFrom("198.51.100.16", "quota-b-key");
		connectFrom("198.51.100.17", "quota-b-key");
		assertThat(refusedFrom("198.51.100.18", "quota-b-key", 4004)).isEqualTo(4004);
		// The per-connection limits hold in app 4's hub too.
		for (String channel : List.of("one", "two", "three")) {
			inB.send("pusher:subscribe", Map.of("channel", channel));
			inB.expect("pusher_internal:subscription_succeeded");
		}
		inB.send("pusher:subscribe", Map.of("channel", "four"));
		assertThat(inB.expect("pusher:subscription_error").get("data").get("type").stringValue())
			.isEqualTo("LimitReached");
	}

	@Test
	void anAddressWithAsManyConnectionsAsAllowedIsRefusedWith4100() {
		connectFrom("198.51.100.20", "test-key");
		PusherTestClient second = connectFrom("198.51.100.20", "test-key");
		assertThat(refusedFrom("198.51.100.20", "test-key", 4100)).isEqualTo(4100);
		connectFrom("198.51.100.21", "test-key");
		second.close();
		// Its place comes back once the server has seen the close.
		org.awaitility.Awaitility.await().untilAsserted(() -> {
			PusherTestClient again = PusherTestClient.open(webSocketPort(),
					"/app/test-key?protocol=7&client=js&version=8.4.0", Map.of("X-Forwarded-For", "198.51.100.20"));
			this.clients.add(again);
			assertThat(again.expect("pusher:connection_established")).isNotNull();
		});
	}

	@Test
	void anAddressConnectingTooOftenIsRefusedWith4100() {
		// 3 a second and as many at once: connecting and closing in a loop runs out of
		// allowance, however slow the machine, unless each attempt took a third of a second.
		String refusal = null;
		for (int i = 0; i < 20 && refusal == null; i++) {
			PusherTestClient client = PusherTestClient.open(webSocketPort(),
					"/app/test-key?protocol=7&client=js&version=8.4.0", Map.of("X-Forwarded-For", "198.51.100.30"));
			this.clients.add(client);
			JsonNode first = client.next();
			if (first.get("event").stringValue().equals("pusher:error")) {
				assertThat(first.get("data").get("code").intValue()).isEqualTo(4100);
				assertThat(client.awaitClose()).isEqualTo(4100);
				refusal = first.get("data").get("message").stringValue();
			}
			client.close();
		}
		assertThat(refusal).contains("connecting too often");
	}

	@Test
	void aConnectionMayHoldAsManyChannelsAsAllowed() {
		PusherTestClient client = connectFrom("198.51.100.40", "test-key");
		for (String channel : List.of("one", "two", "three")) {
			client.send("pusher:subscribe", Map.of("channel", channel));
			client.expect("pusher_internal:subscription_succeeded");
		}
		client.send("pusher:subscribe", Map.of("channel", "four"));
		JsonNode error = client.expect("pusher:subscription_error");
		assertThat(error.get("channel").stringValue()).isEqualTo("four");
		assertThat(error.get("data").get("type").stringValue()).isEqualTo("LimitReached");
		client.send("pusher:unsubscribe", Map.of("channel", "one"));
		String channel = "private-four";
		client.send("pusher:subscribe",
				Map.of("channel", channel, "auth", PusherSignatures.channelAuth(APP, client.socketId(), channel, null)));
		client.expect("pusher_internal:subscription_succeeded");
	}

	@Test
	void messagesOverTheRateGetOne4301AndAGoingFloodIsClosed() {
		PusherTestClient client = connectFrom("198.51.100.50", "test-key");
		for (int i = 0; i < 8; i++) {
			client.send("pusher:ping", Map.of());
		}
		for (int i = 0; i < 8; i++) {
			client.expect("pusher:pong");
		}
		client.send("pusher:subscribe", Map.of("channel", "flooded"));
		JsonNode error = client.expect("pusher:error");
		assertThat(error.get("data").get("code").intValue()).isEqualTo(4301);
		// The server may close the connection before all of them are sent.
		int sent = 0;
		while (sent < 10 && client.sendUnlessClosed("pusher:ping", Map.of())) {
			sent++;
		}
		assertThat(client.awaitClose()).isEqualTo(4301);
		// One connection closed once, however many of its messages came after the verdict.
		assertThat(this.stats.floodDisconnects()).isEqualTo(1);
		// The close comes with the (rate + 1)th refusal inside one second; whether any of the
		// pings sent after it are read before the socket shuts is up to the scheduler.
		assertThat(this.stats.messagesRateLimited()).isGreaterThanOrEqualTo(6);
	}

	@Test
	void aConnectionWithinTheRateKeepsGoing() {
		PusherTestClient client = connectFrom("198.51.100.60", "test-key");
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 4; i++) {
				client.send("pusher:ping", Map.of());
				client.expect("pusher:pong");
			}
			client.expectNothing(java.time.Duration.ofSeconds(1));
		}
		assertThat(client.isClosed()).isFalse();
	}

}
