package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every cluster test again with the Netty transport: clients on each node's Netty port,
 * auth on each node's application port, the nodes behaving as one server through Redis.
 */
class NettyRedisClusterIntegrationTests extends RedisClusterIntegrationTests {

	@Override
	protected String[] transportProperties() {
		return new String[] { "realtime.transport=netty", "realtime.netty.port=0" };
	}

	@Override
	protected int webSocketPort(ConfigurableApplicationContext node) {
		return node.getBean(NettyRealtimeServer.class).port();
	}

}
