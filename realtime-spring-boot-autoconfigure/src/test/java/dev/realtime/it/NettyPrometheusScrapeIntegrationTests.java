package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The scrape again with the Netty transport, the WebSocket and the publishing SDK both on
 * its port: the HTTP API requests it serves are in the same publish histogram, and the
 * outbox waits are sampled on its event loops too.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=9", "realtime.apps[0].key=prom-key", "realtime.apps[0].secret=prom-secret",
				"management.endpoints.web.exposure.include=prometheus",
				"management.defaults.metrics.export.enabled=true", "realtime.transport=netty",
				"realtime.netty.port=0" })
class NettyPrometheusScrapeIntegrationTests extends PrometheusScrapeIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int realtimePort() {
		return this.server.port();
	}

}
