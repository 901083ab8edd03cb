package dev.realtime.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link RabbitBroadcaster} closed right after it was started stays closed: its consumer
 * must not start behind the close (it used to, on the bind thread, and then went on
 * reconnecting for ever through a closed application context). Skipped when no broker is
 * reachable, as {@link RabbitClusterTest} is.
 */
class RabbitBroadcasterLifecycleTest {

	private final List<String> queues = new ArrayList<>();

	private final List<CachingConnectionFactory> factories = new ArrayList<>();

	private String exchange = "";

	@BeforeEach
	void reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), 500);
		}
		catch (IOException ex) {
			Assumptions.abort("No RabbitMQ at " + host() + ":" + port() + ": " + ex.getMessage());
		}
		this.exchange = "rt-lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void cleanUp() {
		for (CachingConnectionFactory factory : this.factories) {
			factory.destroy();
		}
		if (this.exchange.isEmpty()) {
			return;
		}
		CachingConnectionFactory admin = factory();
		try {
			RabbitAdmin rabbit = new RabbitAdmin(admin);
			this.queues.forEach(rabbit::deleteQueue);
			rabbit.deleteExchange(this.exchange);
		}
		finally {
			admin.destroy();
		}
	}

	@Test
	void aBroadcasterClosedRightAfterItsStartLeavesNoConsumerBehind() {
		for (int i = 0; i < 10; i++) {
			CachingConnectionFactory factory = factory();
			this.factories.add(factory);
			RabbitEngineConfig config = RabbitEngineConfig.builder()
				.exchange(this.exchange)
				.nodeId("n" + i)
				.nodeTtl(Duration.ofSeconds(30))
				.build();
			this.queues.add(config.queue());
			RabbitBroadcaster broadcaster = new RabbitBroadcaster(factory, config, null);
			broadcaster.start();
			broadcaster.close();
		}
		CachingConnectionFactory observer = factory();
		try {
			RabbitAdmin rabbit = new RabbitAdmin(observer);
			// A consumer started behind the close shows up within the bind thread's declare
			// and the container's start; give a loaded machine ample time for both.
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> consumers(rabbit) == 0);
		}
		finally {
			observer.destroy();
		}
	}

	private int consumers(RabbitAdmin rabbit) {
		int total = 0;
		for (String queue : this.queues) {
			Properties properties = rabbit.getQueueProperties(queue);
			if (properties != null) {
				total += ((Number) properties.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).intValue();
			}
		}
		return total;
	}

	private static CachingConnectionFactory factory() {
		CachingConnectionFactory factory = new CachingConnectionFactory(host(), port());
		factory.setUsername(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_USER", "guest"));
		factory.setPassword(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_PASSWORD", "guest"));
		factory.setConnectionTimeout(2000);
		return factory;
	}

	private static String host() {
		return System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_HOST", "127.0.0.1");
	}

	private static int port() {
		return Integer.parseInt(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_PORT", "5672"));
	}

}
