package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

import dev.realtime.Hub;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.ProtocolStats;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that floods pings and never reads: the pongs must not pile up in the channel's
 * outbound buffer. Past the high-water mark they are dropped (and counted), and a
 * connection whose socket stays unwritable for the send timeout is closed, even though
 * its pings keep it "active".
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.write-buffer-high-water-mark=16KB",
				"realtime.outbox.send-timeout=1s" })
class NettyPingFloodIntegrationTests {

	/** Pings per write, each with the largest payload a control frame may carry. */
	private static final int PINGS_PER_WRITE = 1000;

	@Autowired
	private NettyRealtimeServer server;

	@Autowired
	private ProtocolStats stats;

	@Autowired
	private Hub hub;

	@Test
	void aClientFloodingPingsWithoutReadingIsClosedAndItsPongsAreDropped() throws Exception {
		byte[] ping = RawWebSocket.frame(RawWebSocket.PING, new byte[125]);
		ByteArrayOutputStream batch = new ByteArrayOutputStream();
		for (int i = 0; i < PINGS_PER_WRITE; i++) {
			batch.writeBytes(ping);
		}
		byte[] pings = batch.toByteArray();
		int writes = 0;
		try (RawWebSocket ws = RawWebSocket.connect(this.server.port(), 4096)) {
			await().until(() -> this.hub.count() == 1);
			// Bounded: 100 writes of 131 KB. Spread over more than the send timeout, so
			// that the server has every chance to close the connection while it floods.
			try {
				for (; writes < 100 && this.hub.count() > 0; writes++) {
					ws.write(pings);
					Thread.sleep(50);
				}
			}
			catch (IOException ex) {
				// Closed by the server while writing.
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> this.hub.count() == 0);
		}
		assertThat(this.stats.pongsDropped()).isPositive();
		assertThat(writes).isLessThan(100);
	}

}
