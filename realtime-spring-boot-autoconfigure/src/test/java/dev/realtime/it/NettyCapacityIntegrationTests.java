package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The node limit again over the Netty transport: its own port, so Tomcat's connections
 * are the application's alone, and the limit only refuses WebSockets (4100) before the
 * node runs out of memory or file descriptors.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"server.tomcat.max-connections=50", "realtime.limits.max-connections=40", "realtime.transport=netty",
				"realtime.netty.port=0" })
class NettyCapacityIntegrationTests extends CapacityIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
