package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-consumer policy over the Netty transport ({@code realtime.transport=netty}),
 * whose writes never block: the stalled client's socket fills, its channel stops being
 * writable past the high-water mark, the hub keeps frames in the bounded outbox, and the
 * outbox's overflow disconnects it.
 * <p>
 * The outbox is larger than in the Servlet test: with 4 frames, an event loop that a
 * busy two-core machine deschedules for a few milliseconds overflows it while the socket
 * is still writable, and the test would not show the back-pressure.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s",
				"realtime.outbox.capacity=64", "realtime.outbox.slow-consumer-policy=disconnect-client",
				"realtime.outbox.send-timeout=2s", "realtime.transport=netty", "realtime.netty.port=0",
				"realtime.netty.write-buffer-high-water-mark=32KB" })
class NettySlowConsumerIntegrationTests extends SlowConsumerIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

	@Test
	void theStalledSocketStopsBeingWritableBeforeItsOutboxOverflows() {
		assertThat(flood("backpressure")).isTrue();
	}

}
