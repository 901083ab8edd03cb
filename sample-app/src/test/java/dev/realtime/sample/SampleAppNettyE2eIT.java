package dev.realtime.sample;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole end-to-end suite again with {@code realtime.transport=netty}: pusher-js,
 * laravel-echo, raw sockets and the demo page connect to the Netty server's own port, while
 * logins, auth and the HTTP API stay on the application's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.transport=netty", "realtime.netty.port=0" })
class SampleAppNettyE2eIT extends SampleAppE2eIT {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

	@Override
	protected String reportName() {
		return "e2e-netty-junit.xml";
	}

}
