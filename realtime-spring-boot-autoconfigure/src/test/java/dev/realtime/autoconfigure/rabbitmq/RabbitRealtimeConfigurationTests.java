package dev.realtime.autoconfigure.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.health.RealtimeHealthIndicator;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.rabbitmq.RabbitBroadcaster;
import dev.realtime.rabbitmq.RabbitEngineConfig;
import dev.realtime.redis.RedisChannelCache;
import dev.realtime.redis.RedisChannelStats;
import dev.realtime.redis.RedisConnectionCounts;
import dev.realtime.redis.RedisPresence;
import dev.realtime.redis.RedisTestServers;
import dev.realtime.redis.RedisWebhookDeduplicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code realtime.broadcaster=rabbitmq} through the auto-configuration, after Spring
 * Boot's RabbitMQ and Redis auto-configurations: events over RabbitMQ, presence and
 * counts from Redis, and the failures that say what is missing. The wiring tests need the
 * broker at 127.0.0.1:5672 (guest/guest) and skip without it.
 */
class RabbitRealtimeConfigurationTests {

	private final String exchange = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RealtimeAutoConfiguration.class, RealtimeHealthContributorAutoConfiguration.class))
		.withPropertyValues("realtime.broadcaster=rabbitmq", "spring.rabbitmq.host=127.0.0.1",
				"spring.rabbitmq.port=5672", "spring.data.redis.url=" + RedisTestServers.uri(),
				"realtime.redis.key-prefix=" + this.exchange, "realtime.rabbitmq.exchange=" + this.exchange);

	@AfterEach
	void deleteExchange() {
		if (!reachable()) {
			return;
		}
		CachingConnectionFactory admin = new CachingConnectionFactory("127.0.0.1", 5672);
		try {
			RabbitAdmin rabbit = new RabbitAdmin(admin);
			for (String node : List.of("one", "two")) {
				rabbit.deleteQueue(this.exchange + ".node." + node);
			}
			rabbit.deleteExchange(this.exchange);
		}
		finally {
			admin.destroy();
		}
	}

	@Test
	void eventsGoOverRabbitAndPresenceCountsAndWebhooksOverRedis() {
		assumeRabbit();
		this.contextRunner
			.withPropertyValues("realtime.rabbitmq.node-id=one", "realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(Broadcaster.class);
				assertThat(context.getBean(Broadcaster.class)).isInstanceOf(RabbitBroadcaster.class);
				PresenceDirectory presence = context.getBean(PresenceDirectory.class);
				assertThat(presence).isInstanceOf(RedisPresence.class);
				assertThat(context.getBean(Hub.class).config().presenceDirectory()).isSameAs(presence);
				assertThat(context).getBean(ChannelStats.class).isInstanceOf(RedisChannelStats.class);
				assertThat(context).hasSingleBean(RedisConnectionCounts.class);
				assertThat(context).getBean(ChannelCache.class).isInstanceOf(RedisChannelCache.class);
				assertThat(context).getBean(WebhookDeduplicator.class).isInstanceOf(RedisWebhookDeduplicator.class);
				RealtimeHealthIndicator indicator = context.getBean(RealtimeHealthIndicator.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> {
					Health health = indicator.health(true);
					@SuppressWarnings("unchecked")
					Map<String, Object> rabbit = (Map<String, Object>) health.getDetails().get("rabbitmq");
					return rabbit != null && "UP".equals(rabbit.get("status"));
				});
				@SuppressWarnings("unchecked")
				Map<String, Object> rabbit = (Map<String, Object>) indicator.health(true).getDetails().get("rabbitmq");
				assertThat(rabbit).containsEntry("broker", "UP").containsEntry("presenceStore", "UP");
			});
	}

	@Test
	void twoContextsShareEventsAndOnePresenceRoster() {
		assumeRabbit();
		ApplicationContextRunner node1 = this.contextRunner.withPropertyValues("realtime.rabbitmq.node-id=one");
		ApplicationContextRunner node2 = this.contextRunner.withPropertyValues("realtime.rabbitmq.node-id=two");
		node1.run((first) -> node2.run((second) -> {
			RabbitBroadcaster firstRabbit = first.getBean(RabbitBroadcaster.class);
			RabbitBroadcaster secondRabbit = second.getBean(RabbitBroadcaster.class);
			await().atMost(Duration.ofSeconds(15)).until(() -> firstRabbit.health().up() && secondRabbit.health().up());
			Hub hub1 = first.getBean(Hub.class);
			Hub hub2 = second.getBean(Hub.class);
			List<String> alice = new CopyOnWriteArrayList<>();
			List<String> bob = new CopyOnWriteArrayList<>();
			hub1.subscribe(hub1.add(recording(alice)), "presence-room", new Member("alice", "{}"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !alice.isEmpty());
			hub2.subscribe(hub2.add(recording(bob)), "presence-room", new Member("bob", "{}"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !bob.isEmpty());
			// Bob's confirmation has the cluster roster; Alice hears of Bob once, through Redis.
			assertThat(bob.get(0)).contains("pusher_internal:subscription_succeeded").contains("alice").contains("bob");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> alice.stream().anyMatch((frame) -> frame.contains("pusher_internal:member_added")));
			// An event published on node one reaches node two's client through RabbitMQ.
			await().atMost(Duration.ofSeconds(10)).until(() -> secondRabbit.isBound("presence-room"));
			first.getBean(Broadcaster.class).publish(new dev.realtime.broadcast.Event("presence-room", "hello", "{}"));
			await().atMost(Duration.ofSeconds(10)).until(() -> bob.stream().anyMatch((frame) -> frame.contains("hello")));
			assertThat(alice.stream().filter((frame) -> frame.contains("pusher_internal:member_added"))).hasSize(1);
			assertThat(second.getBean(ChannelStats.class).users("presence-room")).containsExactlyInAnyOrder("alice",
					"bob");
		}));
	}

	@Test
	void healthIsDownWhileTheRedisBesideRabbitIsUnreachable() throws Exception {
		assumeRabbit();
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.contextRunner
			.withPropertyValues("realtime.rabbitmq.node-id=one", "spring.data.redis.url=redis://127.0.0.1:" + closedPort,
					"realtime.redis.command-timeout=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RabbitBroadcaster rabbit = context.getBean(RabbitBroadcaster.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> rabbit.health().up());
				Health health = context.getBean(RealtimeHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
				@SuppressWarnings("unchecked")
				Map<String, Object> details = (Map<String, Object>) health.getDetails().get("rabbitmq");
				assertThat(details).containsEntry("broker", "UP").containsEntry("presenceStore", "DOWN");
			});
	}

	@Test
	void mapsTheRealtimeRabbitmqProperties() {
		this.contextRunner
			.withPropertyValues("realtime.rabbitmq.node-id=node-7", "realtime.rabbitmq.node-ttl=3s",
					"realtime.rabbitmq.publish-queue-size=100", "realtime.rabbitmq.prefetch=10",
					"realtime.broadcast-buffer-size=99")
			.run((context) -> {
				RabbitEngineConfig config = context.getBean(RabbitEngineConfig.class);
				assertThat(config.exchange()).isEqualTo(this.exchange);
				assertThat(config.queue()).isEqualTo(this.exchange + ".node.node-7");
				assertThat(config.nodeTtl()).hasSeconds(3);
				assertThat(config.publishQueueCapacity()).isEqualTo(100);
				assertThat(config.prefetch()).isEqualTo(10);
				assertThat(config.bufferSize()).isEqualTo(99);
			});
	}

	@Test
	void withoutRedisFailsWithAMessageSayingWhyItIsNeeded() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, RealtimeAutoConfiguration.class))
			.withPropertyValues("realtime.broadcaster=rabbitmq")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("needs Redis beside RabbitMQ for presence")
				.hasMessageContaining("spring.data.redis.url"));
	}

	@Test
	void withoutTheRedisLibrariesFailsWithAMessageSayingWhyTheyAreNeeded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.lettuce"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("needs Redis beside RabbitMQ")
				.hasMessageContaining("not on the class path"));
	}

	@Test
	void withoutSpringAmqpFailsWithAMessageNamingIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.amqp"))
			.withPropertyValues("realtime.broadcaster=rabbitmq")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("Spring AMQP")
				.hasMessageContaining("spring-boot-starter-amqp"));
	}

	private static Conn recording(List<String> frames) {
		return new Conn() {

			@Override
			public void sendAll(List<Frame> batch) {
				batch.forEach((frame) -> frames.add(frame.text()));
			}

			@Override
			public void close(CloseReason reason) {
			}

		};
	}

	private static void assumeRabbit() {
		Assumptions.assumeTrue(reachable(),
				"No RabbitMQ at 127.0.0.1:5672 (start rabbitmq-server to run the RabbitMQ wiring tests)");
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
