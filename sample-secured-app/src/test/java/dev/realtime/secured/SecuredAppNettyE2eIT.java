package dev.realtime.secured;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The secured end-to-end tests again with {@code realtime.transport=netty}: WebSockets on
 * the Netty server's own port, the login, the auth endpoints and the HTTP API on the
 * application's (under Spring Security).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.transport=netty", "realtime.netty.port=0" })
class SecuredAppNettyE2eIT extends SecuredAppE2eIT {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

	@Override
	protected String reportName() {
		return "e2e-secured-netty-junit.xml";
	}

}
