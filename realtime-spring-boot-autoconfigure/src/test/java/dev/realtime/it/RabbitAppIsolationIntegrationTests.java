package dev.realtime.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.realtime.apps.AppNamespace;
import dev.realtime.rabbitmq.RabbitBroadcaster;
import dev.realtime.redis.RedisTestServers;
import org.junit.jupiter.api.Assumptions;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Apps as tenants across two nodes on one RabbitMQ with Redis beside it, the same
 * scenarios as on Redis and NATS: events travel over the exchange with the app in the
 * routing key (the qualified channel), presence, counts, connection quotas, cache entries
 * and webhook claims through Redis under keys that carry the app. Needs RabbitMQ at
 * 127.0.0.1:5672 and skips without it.
 */
class RabbitAppIsolationIntegrationTests extends AppIsolationScenarios {

	private final String prefix = "rt-apps-" + UUID.randomUUID().toString().substring(0, 8);

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	@Override
	void startNodes() {
		Assumptions.assumeTrue(reachable(), "No RabbitMQ at 127.0.0.1:5672");
		this.nodeA = start("a");
		this.nodeB = start("b");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.nodeA.getBean(RabbitBroadcaster.class).health().up()
					&& this.nodeB.getBean(RabbitBroadcaster.class).health().up());
	}

	private ConfigurableApplicationContext start(String nodeId) {
		return new SpringApplicationBuilder(TestApplication.class).properties(appProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"realtime.broadcaster=rabbitmq", "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
					"spring.data.redis.url=" + RedisTestServers.uri(), "realtime.redis.key-prefix=" + this.prefix,
					"realtime.redis.stats-interval=200ms", "realtime.rabbitmq.exchange=" + this.prefix,
					"realtime.rabbitmq.node-id=" + nodeId, "realtime.shutdown-timeout=1s")
			.run();
	}

	@Override
	void stopNodes() {
		if (this.nodeA != null) {
			this.nodeA.close();
		}
		if (this.nodeB != null) {
			this.nodeB.close();
		}
		if (!reachable()) {
			return;
		}
		CachingConnectionFactory admin = new CachingConnectionFactory("127.0.0.1", 5672);
		try {
			RabbitAdmin rabbit = new RabbitAdmin(admin);
			for (String node : List.of("a", "b")) {
				rabbit.deleteQueue(this.prefix + ".node." + node);
			}
			rabbit.deleteExchange(this.prefix);
		}
		finally {
			admin.destroy();
		}
		RedisTestServers.deleteKeys(this.prefix);
	}

	@Override
	ConfigurableApplicationContext receiving() {
		return this.nodeB;
	}

	@Override
	ConfigurableApplicationContext publishing() {
		return this.nodeA;
	}

	@Override
	void awaitHeld(String appId, String channel) {
		String held = appId.equals("a") ? channel : AppNamespace.of(appId).qualify(channel);
		RabbitBroadcaster broadcaster = this.nodeB.getBean(RabbitBroadcaster.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.isBound(held));
	}

	private static boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 5672), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
