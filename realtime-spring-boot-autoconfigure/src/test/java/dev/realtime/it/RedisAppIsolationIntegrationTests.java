package dev.realtime.it;

import java.time.Duration;
import java.util.UUID;

import dev.realtime.apps.AppNamespace;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisTestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apps as tenants across two nodes on one Redis: the clients on one node, the publishing,
 * the HTTP API and the other clients on the other. The apps' channels, presence, counts,
 * cache entries, webhook claims and terminations travel through Redis under keys and
 * pub/sub channels that carry the app.
 */
class RedisAppIsolationIntegrationTests extends AppIsolationScenarios {

	private final String prefix = "rt-apps-" + UUID.randomUUID().toString().substring(0, 8);

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	@Override
	void startNodes() {
		this.nodeA = start("a");
		this.nodeB = start("b");
	}

	private ConfigurableApplicationContext start(String nodeId) {
		return new SpringApplicationBuilder(TestApplication.class).properties(appProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"spring.data.redis.url=" + RedisTestServers.uri(), "realtime.broadcaster=redis",
					"realtime.redis.key-prefix=" + this.prefix, "realtime.redis.node-id=" + nodeId,
					"realtime.redis.stats-interval=200ms", "realtime.shutdown-timeout=1s")
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
		RedisBroadcaster broadcaster = this.nodeB.getBean(RedisBroadcaster.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.subscribedChannels().contains(held));
	}

	@Test
	void theOtherAppsKeysCarryItsId() {
		String channel = name("presence-keys");
		subscribeAuthorized(connect(KEY_B), "kim", channel);
		try (RedisClient client = RedisClient.create(RedisTestServers.uri());
				StatefulRedisConnection<String, String> connection = client.connect()) {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(connection.sync().keys(this.prefix + ":presence:*" + channel + "*"))
					.isNotEmpty()
					.allSatisfy((key) -> assertThat(key).contains(":presence:{~b:" + channel + "}")));
		}
	}

}
