package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every one-node app isolation test again with the Netty transport: clients on the Netty
 * port, auth and the HTTP API on the application port.
 */
class NettyAppIsolationIntegrationTests extends AppIsolationIntegrationTests {

	@Override
	String[] transportProperties() {
		return new String[] { "realtime.transport=netty", "realtime.netty.port=0" };
	}

	@Override
	int webSocketPort(ConfigurableApplicationContext node) {
		return node.getBean(NettyRealtimeServer.class).port();
	}

}
