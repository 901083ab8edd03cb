package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The admission and per-connection limits again over the Netty transport, where the
 * client address and {@code X-Forwarded-For} come from Netty's channel and upgrade request.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"realtime.apps[1].id=2", "realtime.apps[1].key=quota-key", "realtime.apps[1].secret=secret2",
				"realtime.apps[1].max-connections=2", "realtime.apps[2].id=3", "realtime.apps[2].key=quota-a-key",
				"realtime.apps[2].secret=secret3", "realtime.apps[2].max-connections=2", "realtime.apps[3].id=4",
				"realtime.apps[3].key=quota-b-key", "realtime.apps[3].secret=secret4",
				"realtime.apps[3].max-connections=2", "realtime.limits.max-connections-per-ip=2",
				"realtime.limits.connect-rate-per-ip=3", "realtime.limits.trusted-proxies=127.0.0.1,::1",
				"realtime.limits.max-channels-per-connection=3", "realtime.limits.message-rate=5",
				"realtime.limits.message-burst=8", "realtime.transport=netty", "realtime.netty.port=0" })
class NettyAdmissionIntegrationTests extends AdmissionIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
