package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

import dev.realtime.Hub;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that floods pings and never reads, on the Servlet transport: Tomcat answers
 * pings itself with a blocking send, bounded by the session's blocking send timeout (our
 * send timeout), so the reading thread stops reading (nothing piles up) and the session is
 * closed once a pong cannot be written in time.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.outbox.send-timeout=1s" })
class PingFloodIntegrationTests {

	/** Pings per write, each with the largest payload a control frame may carry. */
	private static final int PINGS_PER_WRITE = 1000;

	@LocalServerPort
	private int port;

	@Autowired
	private Hub hub;

	@Test
	void aClientFloodingPingsWithoutReadingIsClosed() throws Exception {
		byte[] ping = RawWebSocket.frame(RawWebSocket.PING, new byte[125]);
		ByteArrayOutputStream batch = new ByteArrayOutputStream();
		for (int i = 0; i < PINGS_PER_WRITE; i++) {
			batch.writeBytes(ping);
		}
		byte[] pings = batch.toByteArray();
		int writes = 0;
		try (RawWebSocket ws = RawWebSocket.connect(this.port, 4096)) {
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
		assertThat(writes).isLessThan(100);
	}

}
