package dev.realtime.autoconfigure.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.ChannelStats;
import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.PresenceDirectory;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.Subscription;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisTestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisRealtimeConfiguration}: two application contexts on one Redis behave as one
 * server.
 */
class RedisRealtimeConfigurationTests {

	private final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void twoContextsOnOneRedisDeliverToEachOthersClients() {
		ApplicationContextRunner node1 = node("one");
		ApplicationContextRunner node2 = node("two");
		node1.run((first) -> node2.run((second) -> {
			assertThat(first).hasSingleBean(RedisBroadcaster.class).hasSingleBean(PresenceDirectory.class);
			assertThat(first.getBean(ChannelStats.class)).isNotNull();
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
				first.getBean(Broadcaster.class).publish(new Event("orders", "created", "{}"));
				return !received.isEmpty();
			});
			assertThat(received).allMatch((frame) -> frame.equals("orders:created:{}"));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> first.getBean(ChannelStats.class).subscriptionCount("orders") == 1);
		}));
	}

	private ApplicationContextRunner node(String name) {
		return new ApplicationContextRunner().withUserConfiguration(NodeConfiguration.class)
			.withBean(RedisClusterConfig.class,
					() -> RedisClusterConfig.builder().keyPrefix(this.prefix).nodeId(name).build());
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RedisRealtimeConfiguration.class)
	static class NodeConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			URI uri = URI.create(RedisTestServers.uri());
			return new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
		}

		@Bean(destroyMethod = "close")
		Hub hub(PresenceDirectory presence) {
			return new Hub(HubConfig.builder().presenceDirectory(presence).build());
		}

		/** What the publishing facade does: the broadcaster's events into the hub. */
		@Bean(destroyMethod = "cancel")
		Subscription bridge(Broadcaster broadcaster, Hub hub) {
			return broadcaster.subscribeAll((event) -> hub.broadcastExcept(event.channel(),
					Frame.text(event.channel() + ":" + event.name() + ":" + event.payload()), event.exceptSocketId()));
		}

	}

}
