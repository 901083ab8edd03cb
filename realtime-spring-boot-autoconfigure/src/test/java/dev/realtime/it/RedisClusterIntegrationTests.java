package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.ChannelStats;
import dev.realtime.pusher.Realtime;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisTestServers;
import dev.realtime.redis.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several application contexts of the test application on one Redis
 * ({@code realtime.broadcaster=redis}), with real WebSocket clients on each: they behave as
 * one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterIntegrationTests {

	private static final String KEY = "cluster-key";

	private static final int MAX_MEMBERS = 3;

	private final String prefix = "rt-it-" + UUID.randomUUID().toString().substring(0, 8);

	private static final AtomicInteger channels = new AtomicInteger();

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	private TestRedis admin;

	private final List<PusherTestClient> clients = new ArrayList<>();

	@BeforeAll
	void startNodes() {
		admin = new TestRedis(redisUri());
		nodeA = start("a", "3s");
		nodeB = start("b", "3s");
	}

	@AfterAll
	void stopNodes() {
		close(nodeA);
		close(nodeB);
		admin.deleteKeys(this.prefix);
		admin.close();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	private ConfigurableApplicationContext start(String nodeId, String nodeTtl) {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties(transportProperties())
			.properties(redisProperties())
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false",
					"realtime.broadcaster=redis",
					"realtime.redis.key-prefix=" + this.prefix, "realtime.redis.node-id=" + nodeId,
					"realtime.redis.node-ttl=" + nodeTtl, "realtime.redis.stats-interval=200ms",
					"realtime.apps[0].id=1", "realtime.apps[0].key=" + KEY, "realtime.apps[0].secret=cluster-secret",
					"realtime.outbox.capacity=1024", "realtime.shutdown-timeout=1s",
					"realtime.presence.max-members=" + MAX_MEMBERS)
			.run();
	}

	/** The Redis the nodes share, as a {@link TestRedis} URI: the test Redis unless overridden. */
	protected String redisUri() {
		return RedisTestServers.uri();
	}

	private String[] redisProperties() {
		String uri = redisUri();
		if (TestRedis.isCluster(uri)) {
			return new String[] { "spring.data.redis.cluster.nodes=" + TestRedis.clusterNodes(uri) };
		}
		if (uri.startsWith("redis-sentinel://")) {
			return new String[] { "spring.data.redis.sentinel.master=" + RedisTestServers.sentinelMaster(),
					"spring.data.redis.sentinel.nodes=" + RedisTestServers.sentinelNode() };
		}
		return new String[] { "spring.data.redis.url=" + uri };
	}

	private static void close(ConfigurableApplicationContext context) {
		if (context != null) {
			context.close();
		}
	}

	private static int port(ConfigurableApplicationContext node) {
		return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static String channel(String prefix) {
		return prefix + "-" + channels.incrementAndGet();
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
		return port(node);
	}

	private PusherTestClient connect(ConfigurableApplicationContext node) {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(node), KEY);
		this.clients.add(client);
		return client;
	}

	private static void subscribe(PusherTestClient client, String channel) {
		client.send("pusher:subscribe", Map.of("channel", channel));
		client.expect("pusher_internal:subscription_succeeded");
	}

	private static JsonNode subscribePresence(ConfigurableApplicationContext node, PusherTestClient client,
			String user, String channel) {
		JsonNode auth = new AuthClient(port(node)).authorize(user, client.socketId(), channel);
		client.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		return client.expect("pusher_internal:subscription_succeeded").get("data").get("presence");
	}

	private static void signIn(ConfigurableApplicationContext node, PusherTestClient client, String user) {
		JsonNode body = JsonMapper.shared()
			.readTree(new AuthClient(port(node)).userAuth(user, client.socketId()).body());
		client.send("pusher:signin",
				Map.of("auth", body.get("auth").stringValue(), "user_data", body.get("user_data").stringValue()));
		client.expect("pusher:signin_success");
		client.send("pusher:subscribe", Map.of("channel", "#server-to-user-" + user, "auth", ""));
		client.expect("pusher_internal:subscription_succeeded");
	}

	/** The node subscribed to the channel in Redis: events published elsewhere reach it. */
	private static void awaitHeld(ConfigurableApplicationContext node, String channel) {
		RedisBroadcaster broadcaster = node.getBean(RedisBroadcaster.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.subscribedChannels().contains(channel));
	}

	@Test
	void eventsPublishedOnOneNodeReachTheClientsOfBothInOrder() {
		String channel = channel("orders");
		PusherTestClient onA = connect(nodeA);
		PusherTestClient onB = connect(nodeB);
		subscribe(onA, channel);
		subscribe(onB, channel);
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
	void clientEventsCrossNodesWithTheSendersUserIdAndAreNotEchoed() {
		String channel = channel("presence-chat");
		PusherTestClient alice = connect(nodeA);
		PusherTestClient bob = connect(nodeB);
		subscribePresence(nodeA, alice, "alice", channel);
		subscribePresence(nodeB, bob, "bob", channel);
		assertThat(alice.expect("pusher_internal:member_added").get("data").get("user_id").stringValue())
			.isEqualTo("bob");
		alice.sendOnChannel("client-typing", channel, Map.of("typing", true));
		JsonNode typing = bob.expect("client-typing");
		assertThat(typing.get("user_id").stringValue()).isEqualTo("alice");
		assertThat(typing.get("data").get("typing").asBoolean()).isTrue();
		alice.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void presenceIsGlobalAndTwoTabsOfOneUserOnTwoNodesAreOneMember() {
		String channel = channel("presence-room");
		PusherTestClient aliceOnA = connect(nodeA);
		PusherTestClient bob = connect(nodeB);
		assertThat(subscribePresence(nodeA, aliceOnA, "alice", channel).get("count").asInt()).isEqualTo(1);
		JsonNode roster = subscribePresence(nodeB, bob, "bob", channel);
		assertThat(roster.get("count").asInt()).isEqualTo(2);
		assertThat(roster.get("ids").toString()).contains("\"alice\"", "\"bob\"");
		assertThat(roster.get("hash").get("alice").get("name").stringValue()).isEqualTo("alice");
		assertThat(aliceOnA.expect("pusher_internal:member_added").get("data").get("user_id").stringValue())
			.isEqualTo("bob");

		PusherTestClient aliceOnB = connect(nodeB);
		assertThat(subscribePresence(nodeB, aliceOnB, "alice", channel).get("count").asInt()).isEqualTo(2);
		bob.expectNothing(Duration.ofMillis(500));
		aliceOnA.expectNothing(Duration.ofMillis(10));
		ChannelStats stats = nodeA.getBean(ChannelStats.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> stats.subscriptionCount(channel) == 3);
		assertThat(stats.users(channel)).containsExactlyInAnyOrder("alice", "bob");

		aliceOnA.close();
		bob.expectNothing(Duration.ofMillis(800));
		aliceOnB.close();
		assertThat(bob.expect("pusher_internal:member_removed").get("data").get("user_id").stringValue())
			.isEqualTo("alice");
		bob.expectNothing(Duration.ofMillis(500));
		await().atMost(Duration.ofSeconds(5)).until(() -> stats.users(channel).equals(List.of("bob")));
	}

	@Test
	void thePresenceMemberLimitHoldsForTheWholeClusterAndARefusedJoinIsAnnouncedNowhere() {
		String channel = channel("presence-full");
		List<PusherTestClient> members = new ArrayList<>();
		for (int i = 0; i < MAX_MEMBERS; i++) {
			PusherTestClient member = connect((i % 2 == 0) ? nodeA : nodeB);
			subscribePresence((i % 2 == 0) ? nodeA : nodeB, member, "member-" + i, channel);
			members.add(member);
		}
		PusherTestClient late = connect(nodeB);
		JsonNode auth = new AuthClient(port(nodeB)).authorize("late", late.socketId(), channel);
		late.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		JsonNode error = late.expect("pusher:subscription_error");
		assertThat(error.get("channel").stringValue()).isEqualTo(channel);
		assertThat(error.get("data").get("status").asInt()).isEqualTo(403);
		// Each member heard only of the members after it, never of the refused one.
		for (int i = 0; i < MAX_MEMBERS; i++) {
			for (int later = i + 1; later < MAX_MEMBERS; later++) {
				assertThat(members.get(i).expect("pusher_internal:member_added").get("data").get("user_id")
					.stringValue()).isEqualTo("member-" + later);
			}
		}
		for (PusherTestClient member : members) {
			member.expectNothing(Duration.ofMillis(300));
		}
		assertThat(nodeA.getBean(ChannelStats.class).users(channel)).hasSize(MAX_MEMBERS).doesNotContain("late");
	}

	@Test
	void sendToUserReachesTheUsersConnectionsOnEveryNode() {
		String bob = "bob-" + channels.incrementAndGet();
		PusherTestClient bobOnA = connect(nodeA);
		PusherTestClient bobOnB = connect(nodeB);
		PusherTestClient carolOnB = connect(nodeB);
		signIn(nodeA, bobOnA, bob);
		signIn(nodeB, bobOnB, bob);
		signIn(nodeB, carolOnB, "carol-" + channels.get());
		awaitHeld(nodeB, "#server-to-user-" + bob);
		nodeA.getBean(Realtime.class).sendToUser(bob, "note", Map.of("text", "hi"));
		for (PusherTestClient tab : List.of(bobOnA, bobOnB)) {
			JsonNode note = tab.expect("note");
			assertThat(note.get("channel").stringValue()).isEqualTo("#server-to-user-" + bob);
			assertThat(note.get("data").get("text").stringValue()).isEqualTo("hi");
			tab.expectNothing(Duration.ofMillis(200));
		}
		carolOnB.expectNothing(Duration.ofMillis(100));
	}

	@Test
	void terminatingAUsersConnectionsClosesThemOnEveryNode() {
		String user = "mallory-" + channels.incrementAndGet();
		PusherTestClient onA = connect(nodeA);
		PusherTestClient onB = connect(nodeB);
		PusherTestClient other = connect(nodeB);
		signIn(nodeA, onA, user);
		signIn(nodeB, onB, user);
		signIn(nodeB, other, "trent-" + channels.get());
		awaitHeld(nodeB, "#server-to-user-" + user);
		nodeA.getBean(RedisBroadcaster.class).terminateUserConnections(user);
		assertThat(onA.awaitClose()).isEqualTo(4009);
		assertThat(onB.awaitClose()).isEqualTo(4009);
		assertThat(other.isClosed()).isFalse();
	}

	@Test
	void theMembersOfADeadNodeAreRemovedWithinItsTtl() {
		ConfigurableApplicationContext nodeC = start("c", "600ms");
		try {
			String channel = channel("presence-dead");
			PusherTestClient carol = connect(nodeC);
			PusherTestClient alice = connect(nodeA);
			subscribePresence(nodeC, carol, "carol", channel);
			assertThat(subscribePresence(nodeA, alice, "alice", channel).get("ids").toString()).contains("\"carol\"");
			ChannelStats stats = nodeA.getBean(ChannelStats.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> stats.subscriptionCount(channel) == 2);

			// Dies without a word to Redis: no leave, no clean-up of its entries.
			nodeC.getBean(RedisConnections.class).close();
			nodeC.close();

			long start = System.nanoTime();
			JsonNode removed = alice.expect("pusher_internal:member_removed");
			assertThat(removed.get("data").get("user_id").stringValue()).isEqualTo("carol");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PusherTestClient.TIMEOUT);
			alice.expectNothing(Duration.ofMillis(300));
			assertThat(stats.users(channel)).containsExactly("alice");
			await().atMost(Duration.ofSeconds(5)).until(() -> stats.subscriptionCount(channel) == 1);
		}
		finally {
			nodeC.close();
		}
	}

	@Test
	void deliveryResumesAfterTheNodesRedisConnectionsAreKilled() {
		String channel = channel("resume");
		PusherTestClient onB = connect(nodeB);
		subscribe(onB, channel);
		awaitHeld(nodeB, channel);
		RedisConnections connections = nodeB.getBean(RedisConnections.class);
		long reconnects = connections.reconnects();

		// Pub/sub, publishing and commands; on a cluster, to each primary they use.
		assertThat(killConnectionsOf("b")).isGreaterThanOrEqualTo(3);

		await().atMost(Duration.ofSeconds(10)).until(() -> connections.reconnects() >= reconnects + 3);
		Realtime realtime = nodeA.getBean(Realtime.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			realtime.publish(channel, "probe", "{}");
			return onB.poll(Duration.ofMillis(100)) != null;
		});
		for (int i = 0; i < 3; i++) {
			realtime.publish(channel, "after", Map.of("n", i));
		}
		for (int i = 0; i < 3; i++) {
			JsonNode event;
			do {
				event = onB.next();
			}
			while (!event.get("event").stringValue().equals("after"));
			assertThat(event.get("data").get("n").asInt()).isEqualTo(i);
		}
	}

	/** CLIENT KILL every Redis connection of a node (they are named prefix-node). */
	private long killConnectionsOf(String nodeId) {
		return admin.killConnectionsNamed(this.prefix + "-" + nodeId);
	}

}
