package dev.realtime.autoconfigure.redis;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.ChannelStats;
import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.BroadcasterUnavailableException;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.health.RealtimeHealthContributorAutoConfiguration;
import dev.realtime.autoconfigure.metrics.RealtimeMetricsAutoConfiguration;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.health.RealtimeHealthIndicator;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisPresence;
import dev.realtime.redis.RedisTestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code realtime.broadcaster=redis} through the auto-configuration, after Spring Boot's
 * Redis auto-configuration: what is wired, and two contexts on one Redis behaving as one
 * server.
 */
class RedisRealtimeConfigurationTests {

	private final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	/** Without the Redis's address, for tests of other topologies than the test Redis. */
	private final ApplicationContextRunner anyRedisRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RealtimeAutoConfiguration.class,
				RealtimeHealthContributorAutoConfiguration.class, RealtimeMetricsAutoConfiguration.class))
		.withPropertyValues("realtime.broadcaster=redis", "realtime.redis.key-prefix=" + this.prefix);

	private final ApplicationContextRunner contextRunner = this.anyRedisRunner
		.withPropertyValues("spring.data.redis.url=" + RedisTestServers.uri());

	@Test
	void wiresTheRedisBroadcasterPresenceAndStatsIntoTheHub() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Broadcaster.class)).isInstanceOf(RedisBroadcaster.class);
			PresenceDirectory presence = context.getBean(PresenceDirectory.class);
			assertThat(presence).isInstanceOf(RedisPresence.class);
			assertThat(context.getBean(Hub.class).config().presenceDirectory()).isSameAs(presence);
			assertThat(context).getBean(ChannelStats.class).isInstanceOf(RedisChannelStats.class);
			assertThat(context).hasSingleBean(ChannelStats.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(RedisConnections.class).isUp());
		});
	}

	@Test
	void withSpringBootsSentinelPropertiesConnectsToThePrimaryTheSentinelNames() {
		String sentinel = RedisTestServers.sentinelNode();
		this.anyRedisRunner
			.withPropertyValues("spring.data.redis.sentinel.master="
					+ RedisTestServers.sentinelMaster(), "spring.data.redis.sentinel.nodes=" + sentinel)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(LettuceConnectionFactory.class).isRedisSentinelAware()).isTrue();
				RedisConnections connections = context.getBean(RedisConnections.class);
				await().atMost(Duration.ofSeconds(10)).until(connections::isUp);
				// The join script ran: the connections are to the primary (a replica refuses
				// writes, a sentinel has no scripts).
				PresenceDirectory presence = context.getBean(PresenceDirectory.class);
				Member alice = new Member("alice", "{}");
				assertThat(presence.join("presence-room", alice, "1.1", 100)).containsExactly(alice);
				presence.leave("presence-room", alice, "1.1");
			});
	}

	@Test
	void redisClusterNodesMakeClusterConnections() {
		// Unreachable: the node starts anyway and keeps trying in the background.
		this.anyRedisRunner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RedisConnections.class).isCluster()).isTrue();
				assertThat(context.getBean(RedisConnections.class).isUp()).isFalse();
			});
	}

	@Test
	void mapsTheRealtimeRedisProperties() {
		this.contextRunner
			.withPropertyValues("realtime.redis.node-id=node-7", "realtime.redis.node-ttl=3s",
					"realtime.redis.stats-interval=250ms", "realtime.redis.publish-queue-size=100",
					"realtime.redis.publish-batch-size=10", "realtime.redis.command-timeout=700ms",
					"realtime.broadcast-buffer-size=99")
			.run((context) -> {
				RedisClusterConfig config = context.getBean(RedisClusterConfig.class);
				assertThat(config.keyPrefix()).isEqualTo(this.prefix);
				assertThat(config.nodeId()).isEqualTo("node-7");
				assertThat(config.nodeTtl()).hasSeconds(3);
				assertThat(config.statsInterval()).hasMillis(250);
				assertThat(config.publishQueueCapacity()).isEqualTo(100);
				assertThat(config.publishBatchSize()).isEqualTo(10);
				assertThat(config.commandTimeout()).hasMillis(700);
				assertThat(config.bufferSize()).isEqualTo(99);
			});
	}

	@Test
	void aUserClusterConfigWins() {
		RedisClusterConfig mine = RedisClusterConfig.builder().keyPrefix(this.prefix + "-mine").nodeId("mine").build();
		this.contextRunner.withBean(RedisClusterConfig.class, () -> mine)
			.run((context) -> assertThat(context.getBean(RedisConnections.class).config()).isSameAs(mine));
	}

	@Test
	void withoutAConnectionFactoryFailsWithAReadableMessage() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
			.withPropertyValues("realtime.broadcaster=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("LettuceConnectionFactory")
				.hasMessageContaining("spring.data.redis.url"));
	}

	@Test
	void withoutSpringDataRedisFailsWithAMessageNamingIt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("Spring Data Redis")
				.hasMessageNotContaining("Lettuce ("));
	}

	@Test
	void memoryModeHasTheHubsChannelStats() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelStats.class).doesNotHaveBean(PresenceDirectory.class);
				assertThat(context.getBean(ChannelStats.class)).isNotInstanceOf(RedisChannelStats.class);
				assertThat(context.getBean(Hub.class).config().presenceDirectory()).isNull();
			});
	}

	@Test
	void healthShowsRedisAndIsDownWhileRedisIsUnreachable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:" + closedPort,
					"realtime.redis.command-timeout=200ms")
			.run((context) -> {
				// The node starts anyway (local delivery works) and keeps trying in the background.
				assertThat(context).hasNotFailed();
				Health health = context.getBean(RealtimeHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("broadcaster", "RedisBroadcaster");
				@SuppressWarnings("unchecked")
				Map<String, Object> redis = (Map<String, Object>) health.getDetails().get("redis");
				assertThat(redis).containsEntry("status", "DOWN").containsKey("lastError");
				context.getBean(Broadcaster.class).publish(new dev.realtime.broadcast.Event("ch", "e", "{}"));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				context.getBean(RealtimeMetrics.class).bindTo(meters);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.get("realtime.redis.remote.dropped").functionCounter().count() == 1);
				assertThat(meters.get("realtime.redis.up").gauge().value()).isZero();
			});
		this.contextRunner.run((context) -> {
			RealtimeHealthIndicator indicator = context.getBean(RealtimeHealthIndicator.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health(true).getStatus().equals(Status.UP));
			@SuppressWarnings("unchecked")
			Map<String, Object> redis = (Map<String, Object>) indicator.health(true).getDetails().get("redis");
			assertThat(redis).containsEntry("status", "UP").containsKeys("reconnects", "remoteDropped", "malformed");
		});
	}

	@Test
	void twoContextsOnOneRedisDeliverToEachOthersClients() {
		ApplicationContextRunner node1 = this.contextRunner.withPropertyValues("realtime.redis.node-id=one");
		ApplicationContextRunner node2 = this.contextRunner.withPropertyValues("realtime.redis.node-id=two");
		node1.run((first) -> node2.run((second) -> {
			Hub hub = second.getBean(Hub.class);
			List<String> received = new CopyOnWriteArrayList<>();
			hub.subscribe(hub.add(new Conn() {

				@Override
				public void sendAll(List<Frame> frames) {
					frames.forEach((frame) -> received.add(frame.text()));
				}

				@Override
				public void close(CloseReason reason) {
				}

			}), "orders");
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				first.getBean(Broadcaster.class).publish(new dev.realtime.broadcast.Event("orders", "created", "{}"));
				return received.stream().anyMatch((frame) -> frame.contains("created"));
			});
			assertThat(received).filteredOn((frame) -> frame.contains("created"))
				.allMatch((frame) -> frame.equals("{\"event\":\"created\",\"channel\":\"orders\",\"data\":\"{}\"}"));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> first.getBean(ChannelStats.class).subscriptionCount("orders") == 1);
		}));
	}

}
