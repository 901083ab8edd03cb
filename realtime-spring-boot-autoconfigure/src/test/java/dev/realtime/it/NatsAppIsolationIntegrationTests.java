package dev.realtime.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.realtime.apps.AppNamespace;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.nats.NatsConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import org.junit.jupiter.api.Assumptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Apps as tenants across two nodes on one NATS, the same scenarios as on Redis: the apps'
 * channels (subjects), presence rosters and counts (key-value buckets), cache entries,
 * webhook claims and terminations carry the app, so two apps with the same channel name
 * never meet. Needs the NATS at {@code REALTIME_TEST_NATS_URL} (default
 * nats://127.0.0.1:4222) and skips without it.
 */
class NatsAppIsolationIntegrationTests extends AppIsolationScenarios {

	private static final String URL = System.getenv().getOrDefault("REALTIME_TEST_NATS_URL", "nats://127.0.0.1:4222");

	private final String prefix = "rt-apps-" + UUID.randomUUID().toString().substring(0, 8);

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	@Override
	void startNodes() {
		Assumptions.assumeTrue(reachable(), () -> "No NATS server at " + URL);
		this.nodeA = start("a");
		this.nodeB = start("b");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.nodeA.getBean(NatsConnection.class).isUp() && this.nodeB.getBean(NatsConnection.class).isUp());
	}

	private ConfigurableApplicationContext start(String nodeId) {
		return new SpringApplicationBuilder(TestApplication.class).properties(appProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"realtime.broadcaster=nats", "realtime.nats.servers=" + URL, "realtime.nats.prefix=" + this.prefix,
					"realtime.nats.node-id=" + nodeId, "realtime.nats.stats-interval=200ms",
					"realtime.shutdown-timeout=1s")
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
		try (Connection admin = Nats.connect(URL)) {
			for (String bucket : List.of("nodes", "presence", "counts", "conns", "webhooks", "cache")) {
				try {
					admin.keyValueManagement().delete(this.prefix + "-" + bucket);
				}
				catch (JetStreamApiException ex) {
					// Never made.
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
		NatsBroadcaster broadcaster = this.nodeB.getBean(NatsBroadcaster.class);
		// A fresh stage each poll: done at once only when the server has the node's subscription.
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.whenLive(held).toCompletableFuture().isDone());
	}

	private static boolean reachable() {
		URI uri = URI.create(URL);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
