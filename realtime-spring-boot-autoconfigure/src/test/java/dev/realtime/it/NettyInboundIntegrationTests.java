package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.Realtime;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Netty transport handles a connection's messages off the event loop: a subscribe that
 * waits on the presence directory (a Redis round trip, or Redis's command timeout when it
 * is down) holds up neither the other connections of the same event loop nor later
 * messages' order on its own connection.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.io-threads=1" })
@Import(NettyInboundIntegrationTests.SlowDirectory.class)
class NettyInboundIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private NettyRealtimeServer server;

	@Autowired
	private Realtime realtime;

	@Autowired
	private SlowDirectory directory;

	private final List<PusherTestClient> clients = new ArrayList<>();

	@AfterEach
	void release() {
		this.directory.release.countDown();
		this.clients.forEach(PusherTestClient::close);
	}

	private PusherTestClient connect() {
		PusherTestClient client = PusherTestClient.connect(this.server.port(), "test-key");
		this.clients.add(client);
		return client;
	}

	@Test
	void aSubscribeWaitingOnThePresenceDirectoryDoesNotBlockTheEventLoop() throws Exception {
		PusherTestClient waiting = connect();
		PusherTestClient other = connect();
		other.send("pusher:subscribe", Map.of("channel", "news"));
		other.expect("pusher_internal:subscription_succeeded");

		JsonNode auth = new AuthClient(this.port).authorize("ann", waiting.socketId(), "presence-slow");
		waiting.send("pusher:subscribe", Map.of("channel", "presence-slow", "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		waiting.send("pusher:subscribe", Map.of("channel", "after-slow"));
		assertThat(this.directory.joining.await(10, TimeUnit.SECONDS)).isTrue();

		// One event loop serves both connections: the other one still subscribes and receives.
		other.send("pusher:subscribe", Map.of("channel", "sports"));
		other.expect("pusher_internal:subscription_succeeded");
		this.realtime.publish("news", "flash", Map.of("n", 1));
		assertThat(other.expect("flash").get("channel").stringValue()).isEqualTo("news");
		// The waiting connection's next message waits behind its subscribe, in order.
		waiting.expectNothing(Duration.ofMillis(300));

		this.directory.release.countDown();
		assertThat(waiting.expect("pusher_internal:subscription_succeeded").get("channel").stringValue())
			.isEqualTo("presence-slow");
		assertThat(waiting.expect("pusher_internal:subscription_succeeded").get("channel").stringValue())
			.isEqualTo("after-slow");
	}

	/** A presence directory whose joins wait until the test releases them. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SlowDirectory implements PresenceDirectory {

		final CountDownLatch joining = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public @Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers) {
			this.joining.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return null;
		}

		@Override
		public boolean leave(String channel, Member member, String socketId) {
			return false;
		}

	}

}
