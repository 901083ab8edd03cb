package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.pusher.Realtime;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisTestServers;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one Redis ({@code realtime.broadcaster=redis}) with the Netty transport:
 * clients on each node's Netty port, auth on each node's application port, behaving as
 * one server.
 */
class NettyRedisClusterIntegrationTests {

	private static final String KEY = "cluster-key";

	private static final String PREFIX = "rt-netty-it-" + UUID.randomUUID().toString().substring(0, 8);

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private final List<PusherTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startNodes() {
		nodeA = start("a");
		nodeB = start("b");
	}

	@AfterAll
	static void stopNodes() {
		if (nodeA != null) {
			nodeA.close();
		}
		if (nodeB != null) {
			nodeB.close();
		}
		RedisClient client = RedisClient.create(RedisTestServers.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(PREFIX + ":*").limit(500));
				if (!page.getKeys().isEmpty()) {
					redis.del(page.getKeys().toArray(String[]::new));
				}
				cursor = page;
			}
			while (!cursor.isFinished());
		}
		finally {
			client.shutdown();
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	private static ConfigurableApplicationContext start(String nodeId) {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"spring.data.redis.url=" + RedisTestServers.uri(), "realtime.broadcaster=redis",
					"realtime.redis.key-prefix=" + PREFIX, "realtime.redis.node-id=" + nodeId,
					"realtime.redis.node-ttl=3s", "realtime.apps[0].id=1", "realtime.apps[0].key=" + KEY,
					"realtime.apps[0].secret=cluster-secret", "realtime.outbox.capacity=1024",
					"realtime.shutdown-timeout=1s", "realtime.transport=netty", "realtime.netty.port=0")
			.run();
	}

	private static int httpPort(ConfigurableApplicationContext node) {
		return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private PusherTestClient connect(ConfigurableApplicationContext node) {
		PusherTestClient client = PusherTestClient.connect(node.getBean(NettyRealtimeServer.class).port(), KEY);
		this.clients.add(client);
		return client;
	}

	private static void awaitHeld(ConfigurableApplicationContext node, String channel) {
		RedisBroadcaster broadcaster = node.getBean(RedisBroadcaster.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.subscribedChannels().contains(channel));
	}

	private static JsonNode subscribePresence(ConfigurableApplicationContext node, PusherTestClient client,
			String user, String channel) {
		JsonNode auth = new AuthClient(httpPort(node)).authorize(user, client.socketId(), channel);
		client.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		return client.expect("pusher_internal:subscription_succeeded").get("data").get("presence");
	}

	@Test
	void eventsPublishedOnOneNodeReachTheNettyClientsOfBothInOrder() {
		String channel = "orders-netty";
		PusherTestClient onA = connect(nodeA);
		PusherTestClient onB = connect(nodeB);
		for (PusherTestClient client : List.of(onA, onB)) {
			client.send("pusher:subscribe", Map.of("channel", channel));
			client.expect("pusher_internal:subscription_succeeded");
		}
		awaitHeld(nodeB, channel);
		Realtime realtime = nodeA.getBean(Realtime.class);
		for (int i = 0; i < 200; i++) {
			realtime.publish(channel, "created", Map.of("n", i));
		}
		for (PusherTestClient client : List.of(onB, onA)) {
			for (int i = 0; i < 200; i++) {
				JsonNode event = client.expect("created");
				assertThat(event.get("channel").stringValue()).isEqualTo(channel);
				assertThat(event.get("data").get("n").asInt()).isEqualTo(i);
			}
			client.expectNothing(Duration.ofMillis(200));
		}
	}

	@Test
	void presenceAndClientEventsCrossNodes() {
		String channel = "presence-netty-chat";
		PusherTestClient alice = connect(nodeA);
		PusherTestClient bob = connect(nodeB);
		assertThat(subscribePresence(nodeA, alice, "alice", channel).get("count").asInt()).isEqualTo(1);
		JsonNode roster = subscribePresence(nodeB, bob, "bob", channel);
		assertThat(roster.get("count").asInt()).isEqualTo(2);
		assertThat(alice.expect("pusher_internal:member_added").get("data").get("user_id").stringValue())
			.isEqualTo("bob");
		alice.sendOnChannel("client-typing", channel, Map.of("typing", true));
		JsonNode typing = bob.expect("client-typing");
		assertThat(typing.get("user_id").stringValue()).isEqualTo("alice");
		alice.expectNothing(Duration.ofMillis(300));
	}

}
