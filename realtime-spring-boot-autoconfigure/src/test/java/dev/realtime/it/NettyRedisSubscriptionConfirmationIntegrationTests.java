package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The confirmation test again with the Netty transport, whose event loop must never wait
 * for Redis.
 */
class NettyRedisSubscriptionConfirmationIntegrationTests extends RedisSubscriptionConfirmationIntegrationTests {

	@Override
	protected String[] transportProperties() {
		return new String[] { "realtime.transport=netty", "realtime.netty.port=0" };
	}

	@Override
	protected int webSocketPort(ConfigurableApplicationContext node) {
		return node.getBean(NettyRealtimeServer.class).port();
	}

}
