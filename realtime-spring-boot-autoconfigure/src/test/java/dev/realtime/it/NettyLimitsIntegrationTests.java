package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The limits again over the Netty transport ({@code realtime.transport=netty}), where the
 * message size limits are enforced by Netty's frame decoder and aggregator.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"realtime.presence.max-members=1", "realtime.presence.max-user-info-size=32B",
				"realtime.client-events.enabled=false", "realtime.max-frame-size=4KB", "realtime.transport=netty",
				"realtime.netty.port=0" })
class NettyLimitsIntegrationTests extends LimitsIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
