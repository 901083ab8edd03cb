package dev.realtime.autoconfigure.nats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.BroadcasterUnavailableException;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.health.RealtimeHealthContributorAutoConfiguration;
import dev.realtime.autoconfigure.metrics.RealtimeMetricsAutoConfiguration;
import dev.realtime.metrics.RealtimeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.health.RealtimeHealthIndicator;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.nats.NatsChannelCache;
import dev.realtime.nats.NatsChannelStats;
import dev.realtime.nats.NatsConnection;
import dev.realtime.nats.NatsConnectionCounts;
import dev.realtime.nats.NatsEngineConfig;
import dev.realtime.nats.NatsPresence;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code realtime.broadcaster=nats} through the auto-configuration: what is wired, the
 * properties, and the failure when jnats is missing. The wiring tests need the NATS at
 * {@code REALTIME_TEST_NATS_URL} (default nats://127.0.0.1:4222) and skip without it.
 */
class NatsRealtimeConfigurationTests {

	private static final String URL = System.getenv().getOrDefault("REALTIME_TEST_NATS_URL", "nats://127.0.0.1:4222");

	private final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
				RealtimeHealthContributorAutoConfiguration.class, RealtimeMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("realtime.broadcaster=nats", "realtime.nats.servers=" + URL,
				"realtime.nats.prefix=" + this.prefix);

	@AfterEach
	void deleteBuckets() throws Exception {
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
	}

	@Test
	void wiresTheNatsBroadcasterPresenceAndStatsIntoTheHub() {
		assumeNats();
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Broadcaster.class)).isInstanceOf(NatsBroadcaster.class);
			PresenceDirectory presence = context.getBean(PresenceDirectory.class);
			assertThat(presence).isInstanceOf(NatsPresence.class);
			assertThat(context.getBean(Hub.class).config().presenceDirectory()).isSameAs(presence);
			assertThat(context).hasSingleBean(ChannelStats.class);
			assertThat(context).getBean(ChannelStats.class).isInstanceOf(NatsChannelStats.class);
			assertThat(context).getBean(ChannelCache.class).isInstanceOf(NatsChannelCache.class);
			assertThat(context).hasSingleBean(NatsConnectionCounts.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(NatsConnection.class).isUp());
			Health health = context.getBean(RealtimeHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			@SuppressWarnings("unchecked")
			Map<String, Object> nats = (Map<String, Object>) health.getDetails().get("nats");
			assertThat(nats).containsEntry("status", "UP").containsKeys("reconnects", "remoteDropped");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(RealtimeMetrics.class).bindTo(meters);
			assertThat(meters.get("realtime.nats.up").gauge().value()).isEqualTo(1);
			assertThat(meters.get("realtime.nats.remote.dropped").functionCounter().count()).isZero();
		});
	}

	@Test
	void theApplicationsOwnConnectionCountsReplaceTheDefault() {
		assumeNats();
		this.contextRunner.withUserConfiguration(OwnConnectionCounts.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(NatsConnectionCounts.class)
				.hasBean("myCounts")
				.doesNotHaveBean("realtimeNatsConnectionCounts"));
	}

	@Test
	void webhooksAreClaimedInNats() {
		assumeNats();
		this.contextRunner.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks")
			.run((context) -> {
				WebhookDeduplicator deduplicator = context.getBean(WebhookDeduplicator.class);
				assertThat(deduplicator).isNotSameAs(WebhookDeduplicator.SINGLE_NODE);
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(NatsConnection.class).isUp());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> deduplicator.claim("channel_vacated:room", Duration.ofSeconds(1)));
				assertThat(deduplicator.claim("channel_vacated:room", Duration.ofSeconds(1))).isFalse();
			});
	}

	@Test
	void mapsTheRealtimeNatsProperties() {
		this.contextRunner
			.withPropertyValues("realtime.nats.servers=nats://one:4222,nats://two:4222", "realtime.nats.node-id=node-7",
					"realtime.nats.node-ttl=3s", "realtime.nats.stats-interval=250ms",
					"realtime.nats.publish-queue-size=100", "realtime.nats.request-timeout=700ms",
					"realtime.nats.username=u", "realtime.nats.password=p", "realtime.broadcast-buffer-size=99")
			.run((context) -> {
				NatsEngineConfig config = context.getBean(NatsEngineConfig.class);
				assertThat(config.servers()).containsExactly("nats://one:4222", "nats://two:4222");
				assertThat(config.prefix()).isEqualTo(this.prefix);
				assertThat(config.nodeId()).isEqualTo("node-7");
				assertThat(config.nodeTtl()).hasSeconds(3);
				assertThat(config.statsInterval()).hasMillis(250);
				assertThat(config.publishQueueCapacity()).isEqualTo(100);
				assertThat(config.requestTimeout()).hasMillis(700);
				assertThat(config.username()).isEqualTo("u");
				assertThat(config.password()).isEqualTo("p");
				assertThat(config.bufferSize()).isEqualTo(99);
			});
	}

	@Test
	void anInvalidPrefixFailsWithAReadableMessage() {
		this.contextRunner.withPropertyValues("realtime.nats.prefix=my.app")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("prefix")
				.hasMessageContaining("my.app"));
	}

	@Test
	void withoutJnatsFailsWithAMessageNamingIt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.nats.client"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("io.nats:jnats")
				.hasMessageContaining("realtime.broadcaster=nats"));
	}

	@Test
	void withoutTheNatsModuleFailsWithAMessageNamingIt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("dev.realtime.nats"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("dev.realtime:realtime-nats")
				.hasMessageNotContaining("io.nats:jnats"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionCounts {

		@Bean(destroyMethod = "close")
		NatsConnectionCounts myCounts(NatsConnection connection) {
			return new NatsConnectionCounts(connection, Map::of, (elsewhere) -> {
			});
		}

	}

	private static void assumeNats() {
		Assumptions.assumeTrue(reachable(), () -> "No NATS server at " + URL
				+ " (start nats-server -js, or set REALTIME_TEST_NATS_URL)");
	}

	private static boolean reachable() {
		java.net.URI uri = java.net.URI.create(URL);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
