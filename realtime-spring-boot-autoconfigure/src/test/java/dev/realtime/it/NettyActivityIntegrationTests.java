package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Server pings and the 4201 close again over the Netty transport
 * ({@code realtime.transport=netty}).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s",
				"realtime.activity-timeout=1s", "realtime.pong-timeout=1s", "realtime.transport=netty",
				"realtime.netty.port=0" })
class NettyActivityIntegrationTests extends ActivityIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
