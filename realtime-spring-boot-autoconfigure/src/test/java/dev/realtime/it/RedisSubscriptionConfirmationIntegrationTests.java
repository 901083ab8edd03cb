package dev.realtime.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.pusher.Realtime;
import dev.realtime.redis.RedisTestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one Redis, the second behind a proxy that delays its Redis traffic both ways
 * by 50 to 200 ms, so its SUBSCRIBE reaches Redis late and the acknowledgement comes back
 * late: a client of the second node that gets {@code subscription_succeeded} must receive
 * an event published through the first node that very moment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSubscriptionConfirmationIntegrationTests {

	private static final String KEY = "confirm-key";

	private final String prefix = "rt-it-" + UUID.randomUUID().toString().substring(0, 8);

	private DelayingProxy proxy;

	private ConfigurableApplicationContext publisher;

	private ConfigurableApplicationContext subscriber;

	@BeforeAll
	void startNodes() throws IOException {
		this.proxy = new DelayingProxy(RedisTestServers.uri(), 50, 200);
		this.publisher = start("one", RedisTestServers.uri());
		this.subscriber = start("two", this.proxy.uri(RedisTestServers.uri()));
	}

	@AfterAll
	void stopNodes() throws IOException {
		if (this.subscriber != null) {
			this.subscriber.close();
		}
		if (this.publisher != null) {
			this.publisher.close();
		}
		this.proxy.close();
		RedisTestServers.deleteKeys(this.prefix);
	}

	private ConfigurableApplicationContext start(String nodeId, String redisUri) {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties(transportProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"spring.data.redis.url=" + redisUri, "realtime.broadcaster=redis",
					"realtime.redis.key-prefix=" + this.prefix, "realtime.redis.node-id=" + nodeId,
					"realtime.redis.command-timeout=3s", "realtime.apps[0].id=1", "realtime.apps[0].key=" + KEY,
					"realtime.apps[0].secret=confirm-secret", "realtime.shutdown-timeout=1s")
			.run();
	}

	/**
	 * Properties that choose the transport; none for the default (Servlet) one.
	 * @return the properties
	 */
	protected String[] transportProperties() {
		return new String[0];
	}

	/**
	 * The port a node's clients open WebSockets on.
	 * @param node the node
	 * @return the port
	 */
	protected int webSocketPort(ConfigurableApplicationContext node) {
		return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@Test
	void anEventPublishedElsewhereTheMomentTheSubscriptionIsConfirmedIsNeverLost() throws Exception {
		Realtime realtime = this.publisher.getBean(Realtime.class);
		AtomicInteger lost = new AtomicInteger();
		AtomicInteger subscriptions = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(10);
		List<Future<?>> done = new ArrayList<>();
		for (int c = 0; c < 10; c++) {
			int clientNumber = c;
			done.add(clients.submit(() -> {
				try (PusherTestClient client = PusherTestClient.connect(webSocketPort(this.subscriber), KEY)) {
					for (int i = 0; i < 20; i++) {
						// A new channel each time: this node's first subscriber, so it must SUBSCRIBE.
						String channel = "confirm-" + clientNumber + "-" + i;
						client.send("pusher:subscribe", Map.of("channel", channel));
						client.expect("pusher_internal:subscription_succeeded");
						realtime.publish(channel, "ping", Map.of("n", i));
						JsonNode event = client.poll(Duration.ofSeconds(3));
						while (event != null && event.get("event").stringValue().equals("pusher:ping")) {
							event = client.poll(Duration.ofSeconds(3));
						}
						if (event == null) {
							lost.incrementAndGet();
						}
						else {
							assertThat(event.get("event").stringValue()).isEqualTo("ping");
							assertThat(event.get("channel").stringValue()).isEqualTo(channel);
						}
						subscriptions.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> client : done) {
			client.get(5, TimeUnit.MINUTES);
		}
		clients.shutdown();
		assertThat(subscriptions).hasValue(200);
		assertThat(lost).as("events lost of 200").hasValue(0);
	}

}
