package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.realtime.pusher.App;
import dev.realtime.pusher.PusherSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorized connections ({@code realtime.limits.authorization-timeout}): a connection
 * that neither signs in nor joins a private or presence channel in time is closed with
 * 4009; one that does either stays.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"realtime.limits.authorization-timeout=3s" })
class AuthorizationTimeoutIntegrationTests {

	private static final App APP = new App("1", "test-key", "secret");

	@LocalServerPort
	private int port;

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

	private PusherTestClient connect() {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(), "test-key");
		this.clients.add(client);
		return client;
	}

	@Test
	void anAnonymousConnectionIsClosedWith4009() {
		PusherTestClient client = connect();
		assertThat(client.awaitClose(Duration.ofSeconds(20))).isEqualTo(4009);
	}

	@Test
	void aConnectionOnAPrivateChannelStays() {
		PusherTestClient client = connect();
		String channel = "private-mine";
		client.send("pusher:subscribe",
				Map.of("channel", channel, "auth", PusherSignatures.channelAuth(APP, client.socketId(), channel, null)));
		client.expect("pusher_internal:subscription_succeeded");
		client.expectNothing(Duration.ofSeconds(4));
		assertThat(client.isClosed()).isFalse();
	}

	@Test
	void aSignedInConnectionStays() {
		PusherTestClient client = connect();
		String userData = "{\"id\":\"alice\"}";
		client.send("pusher:signin",
				Map.of("auth", PusherSignatures.userAuth(APP, client.socketId(), userData), "user_data", userData));
		client.expect("pusher:signin_success");
		client.expectNothing(Duration.ofSeconds(4));
		assertThat(client.isClosed()).isFalse();
	}

}
