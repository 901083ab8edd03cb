package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Every Pusher protocol test again over the Netty transport ({@code realtime.transport=netty}):
 * the WebSocket endpoint on its own port, auth and HTTP on the application's.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.client-events.rate-limit=5",
				"realtime.encryption-master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"realtime.transport=netty", "realtime.netty.port=0" })
class NettyPusherProtocolIntegrationTests extends PusherProtocolIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
