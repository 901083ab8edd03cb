package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.ProtocolStats;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of tiny frames in one write: while the connection's handling is held up (a
 * presence join waiting on the directory), the event loop decodes no more than the
 * inbound queue's bound and keeps the rest as bytes, so one read cannot queue thousands
 * of messages; once the join returns, every message is handled, in order, without the
 * client sending anything more.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.io-threads=1",
				// The burst is about decoding no faster than handling, not the message rate
				// (which would close this connection with 4301 long before its 5,000 frames).
				"realtime.limits.message-rate=10000", "realtime.limits.message-burst=10000" })
@Import(NettyInboundBurstIntegrationTests.BlockingDirectory.class)
class NettyInboundBurstIntegrationTests {

	private static final int TINY_FRAMES = 5000;

	/** The inbound queue's pause point, plus the frame decoded as it filled, plus slack. */
	private static final int BOUND = 16 + 4;

	@LocalServerPort
	private int port;

	@Autowired
	private NettyRealtimeServer server;

	@Autowired
	private ProtocolStats stats;

	@Autowired
	private BlockingDirectory directory;

	@AfterEach
	void release() {
		this.directory.release.countDown();
	}

	@Test
	void aBurstOfTinyFramesIsDecodedOnlyAsFastAsItIsHandled() throws Exception {
		try (RawWebSocket ws = RawWebSocket.connect(this.server.port(), 0)) {
			String socketId = JsonMapper.shared()
				.readTree(JsonMapper.shared().readTree(ws.readUntil("connection_established")).get("data").stringValue())
				.get("socket_id")
				.stringValue();
			JsonNode auth = new AuthClient(this.port).authorize("ann", socketId, "presence-held");
			ByteArrayOutputStream burst = new ByteArrayOutputStream();
			burst.writeBytes(RawWebSocket.text("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-held\","
					+ "\"auth\":\"" + auth.get("auth").stringValue() + "\",\"channel_data\":"
					+ JsonMapper.shared().writeValueAsString(auth.get("channel_data").stringValue()) + "}}"));
			for (int i = 0; i < TINY_FRAMES; i++) {
				// Each a non-fatal error for the server (not JSON): the smallest message there is.
				burst.writeBytes(RawWebSocket.text("x"));
			}
			burst.writeBytes(RawWebSocket.text("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"after-burst\"}}"));
			long receivedBefore = this.stats.messagesReceived();
			ws.write(burst.toByteArray());
			assertThat(this.directory.joining.await(10, TimeUnit.SECONDS)).isTrue();
			// The burst is in the server's socket buffer or in its hands; give the event loop
			// every chance to decode what it would.
			await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
			assertThat(this.stats.messagesReceived() - receivedBefore).isLessThanOrEqualTo(BOUND);

			this.directory.release.countDown();
			assertThat(ws.readUntil("\"after-burst\"")).contains("subscription_succeeded");
			assertThat(this.stats.messagesReceived() - receivedBefore).isEqualTo(TINY_FRAMES + 2);
		}
	}

	/** A presence directory whose first join waits until the test releases it. */
	@TestConfiguration(proxyBeanMethods = false)
	static class BlockingDirectory implements PresenceDirectory {

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
