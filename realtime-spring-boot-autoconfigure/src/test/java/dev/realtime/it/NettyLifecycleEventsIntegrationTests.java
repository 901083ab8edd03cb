package dev.realtime.it;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link LifecycleEventsIntegrationTests} over the Netty transport: the same events and
 * close codes.
 */
@SpringBootTest(
		classes = { TestApplication.class, LifecycleEventsIntegrationTests.RecordingListener.class,
				LifecycleEventsIntegrationTests.OwnLifecycleListener.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=events-app", "realtime.apps[0].key=test-key",
				"realtime.apps[0].secret=test-secret", "realtime.events.queue-capacity=16",
				"realtime.transport=netty", "realtime.netty.port=0" })
class NettyLifecycleEventsIntegrationTests extends LifecycleEventsIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

}
