package dev.realtime.sample;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Every {@link PusherJavaClientIT} scenario again with {@code realtime.transport=netty}:
 * the Java client's WebSocket goes to the Netty server's own port, its authorization
 * requests and the HTTP API to the application's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.activity-timeout=2s", "realtime.pong-timeout=2s", "realtime.transport=netty",
				"realtime.netty.port=0" })
class PusherJavaClientNettyIT extends PusherJavaClientIT {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
