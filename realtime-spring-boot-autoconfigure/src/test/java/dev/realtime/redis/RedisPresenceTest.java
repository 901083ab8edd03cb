package dev.realtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.Client;
import dev.realtime.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster presence with several nodes on one real Redis.
 */
class RedisPresenceTest extends RedisNodesTestSupport {

	private static final String ADDED = "pusher_internal:member_added";

	private static final String REMOVED = "pusher_internal:member_removed";

	private static final String ROOM = "presence-room";

	@Test
	void newcomersGetTheClusterRosterAndMembersAreAnnouncedOncePerUser() {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		assertThat(aliceOnA.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice");

		RecordingConn bobOnB = new RecordingConn();
		Client bobTab1 = b.joinPresence(bobOnB, ROOM, "bob");
		assertThat(bobOnB.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 1);
		assertThat(aliceOnA.payloads(ADDED)).containsExactly("{\"user_id\":\"bob\",\"user_info\":{\"name\":\"bob\"}}");

		// Bob's second tab, on another node: one member, nobody told again.
		RecordingConn bobOnC = new RecordingConn();
		Client bobTab2 = c.joinPresence(bobOnC, ROOM, "bob");
		assertThat(bobOnC.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob");
		RecordingConn carolOnC = new RecordingConn();
		c.joinPresence(carolOnC, ROOM, "carol");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 2
				&& bobOnB.payloads(ADDED).size() == 1 && bobOnC.payloads(ADDED).size() == 1);
		assertThat(carolOnC.payloads(ADDED)).isEmpty();
		assertThat(c.presence.members(ROOM)).extracting(Member::id).containsExactlyInAnyOrder("alice", "bob", "carol");

		// Bob closes one tab: still a member. Then the other: removed, once, everywhere.
		c.hub.remove(bobTab2);
		b.hub.unsubscribe(bobTab1, ROOM);
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(REMOVED).size() == 1
				&& carolOnC.payloads(REMOVED).size() == 1);
		assertThat(aliceOnA.payloads(REMOVED)).containsExactly("{\"user_id\":\"bob\"}");
		assertThat(c.presence.members(ROOM)).extracting(Member::id).containsExactlyInAnyOrder("alice", "carol");
		assertThat(a.stats.users(ROOM)).containsExactlyInAnyOrder("alice", "carol");
		// Nobody was told about a member twice.
		assertThat(aliceOnA.payloads(ADDED)).hasSize(2);
		assertThat(aliceOnA.payloads(REMOVED)).hasSize(1);
	}

	@Test
	void clusterPresenceListenersHearEachChangeOnceInTheWholeCluster() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		TestNode c = node("c", ttl);
		List<String> heard = new CopyOnWriteArrayList<>();
		for (TestNode node : List.of(a, b, c)) {
			node.presence.onClusterPresence((event) -> heard
				.add(node.name + (event.joined() ? " +" : " -") + event.member().id() + " " + event.member().info()));
		}
		Client aliceTab1 = a.joinPresence(new RecordingConn(), ROOM, "alice");
		b.joinPresence(new RecordingConn(), ROOM, "alice");
		c.joinPresence(new RecordingConn(), ROOM, "carol");
		a.hub.remove(aliceTab1);
		await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
		c.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 3);
		assertThat(heard.subList(0, 2)).containsExactlyInAnyOrder("a +alice {\"name\":\"alice\"}",
				"c +carol {\"name\":\"carol\"}");
		// Reaped by whichever live node got there first, once.
		assertThat(heard.get(2)).matches("[ab] -carol \\{\"name\":\"carol\"\\}");
	}

	@Test
	void aKilledNodesUsersAreRemovedFromEveryRosterWithinTheTtl() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		b.joinPresence(new RecordingConn(), "presence-other", "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 1);
		long killedAt = System.nanoTime();
		b.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> aliceOnA.payloads(REMOVED).size() == 1);
		Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
		assertThat(aliceOnA.payloads(REMOVED)).containsExactly("{\"user_id\":\"bob\"}");
		assertThat(a.presence.members(ROOM)).extracting(Member::id).containsExactly("alice");
		assertThat(a.presence.members("presence-other")).isEmpty();
		assertThat(redis().zrange(keys().nodes(), 0, -1)).containsExactly("a");
		assertThat(redis().keys(this.prefix + ":node:{b}:*")).isEmpty();
		assertThat(a.presence.reapedNodes()).isEqualTo(1);
		// Bounded by ttl + ttl/3 + a tick; loose to stay stable on a busy machine.
		assertThat(took).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void whatANodeMissedWhileItsSubscriptionWasGoneReachesItsClientsOnceWhenItIsBack() {
		TestNode a = node("a");
		TestNode b = node("b");
		a.joinPresence(new RecordingConn(), ROOM, "alice");
		Client dave = a.joinPresence(new RecordingConn(), ROOM, "dave");
		RecordingConn bobOnB = new RecordingConn();
		b.joinPresence(bobOnB, ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> b.presence.members(ROOM).size() == 3);
		b.loseSubscription(ROOM);
		a.joinPresence(new RecordingConn(), ROOM, "carol");
		a.hub.remove(dave);
		await().atMost(Duration.ofSeconds(5)).until(() -> a.presence.members(ROOM).size() == 3);
		assertThat(bobOnB.payloads(ADDED)).noneMatch((payload) -> payload.contains("carol"));
		// Subscribed again (as after a reconnect or a failover): b tells its clients the difference.
		assertThat(killConnectionsOf(b)).isPositive();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> bobOnB.payloads(ADDED).stream().anyMatch((payload) -> payload.contains("carol")));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> bobOnB.payloads(REMOVED).stream().anyMatch((payload) -> payload.contains("dave")));
		assertThat(bobOnB.payloads(ADDED)).filteredOn((payload) -> payload.contains("carol")).hasSize(1);
		assertThat(bobOnB.payloads(ADDED)).noneMatch((payload) -> payload.contains("alice"));
		assertThat(bobOnB.payloads(REMOVED)).hasSize(1);
	}

	@Test
	void aChannelLeftByItsLastLocalMemberLeavesTheNodesIndex() {
		TestNode a = node("a", Duration.ofMillis(900));
		Client alice = a.joinPresence(new RecordingConn(), ROOM, "alice");
		a.joinPresence(new RecordingConn(), "presence-kept", "alice");
		String index = keys().nodePresence("a");
		await().atMost(Duration.ofSeconds(5)).until(() -> redis().smembers(index).size() == 2);
		a.hub.remove(alice);
		// Gone at a tick after the leave: the index does not grow with every channel ever joined.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis().smembers(index), (members) -> members.equals(Set.of("presence-kept")));
		a.joinPresence(new RecordingConn(), ROOM, "bob");
		assertThat(redis().smembers(index)).containsExactlyInAnyOrder(ROOM, "presence-kept");
	}

	@Test
	void aCleanShutdownAnnouncesItsUsersAtOnce() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 1);
		b.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(REMOVED).size() == 1);
		assertThat(redis().zrange(keys().nodes(), 0, -1)).containsExactly("a");
	}

	@Test
	void rostersAreRebuiltFromTheLiveNodesWhenRedisLosesItsData() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 1);
		deleteKeys();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> a.presence.members(ROOM).stream().map(Member::id).sorted().toList(),
					(ids) -> ids.equals(List.of("alice", "bob")));
		assertThat(redis().hget(keys().presence(ROOM) + ":users", "bob")).isEqualTo("2");
		// Newcomers see the rebuilt roster.
		RecordingConn carol = new RecordingConn();
		b.joinPresence(carol, ROOM, "carol");
		assertThat(carol.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob,carol");
	}

	@Test
	void leavesWhileRedisIsAwayAreWrittenBackAfterReconnecting() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		RecordingConn carolOnB = new RecordingConn();
		b.joinPresence(carolOnB, ROOM, "carol");
		Client bob = b.joinPresence(new RecordingConn(), ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 2);
		killConnectionsOf(b);
		b.hub.remove(bob);
		await().atMost(Duration.ofSeconds(10)).until(() -> aliceOnA.payloads(REMOVED).size() == 1);
		assertThat(aliceOnA.payloads(REMOVED)).containsExactly("{\"user_id\":\"bob\"}");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> a.presence.members(ROOM).stream().map(Member::id).sorted().toList(),
					(ids) -> ids.equals(List.of("alice", "carol")));
		// Carol stays a member through the reconnect: nobody is told she left.
		assertThat(aliceOnA.payloads(REMOVED)).hasSize(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> carolOnB.payloads(REMOVED).size() == 1);
	}

	@Test
	void countsAndUsersAreAnsweredForTheWholeCluster() {
		TestNode a = node("a");
		TestNode b = node("b");
		for (int i = 0; i < 2; i++) {
			Client client = a.connect(new RecordingConn());
			a.hub.subscribe(client, "public-news");
		}
		b.hub.subscribe(b.connect(new RecordingConn()), "public-news");
		b.hub.subscribe(b.connect(new RecordingConn()), "only-b");
		a.joinPresence(new RecordingConn(), ROOM, "alice");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> a.stats.subscriptionCount("public-news") == 3
				&& b.stats.subscriptionCount("public-news") == 3);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> a.stats.occupiedChannels().equals(java.util.Map.of("public-news", 3, "only-b", 1, ROOM, 2)));
		assertThat(b.stats.users(ROOM)).containsExactlyInAnyOrder("alice", "bob");
		assertThat(a.stats.subscriptionCount("nobody-here")).isZero();
	}

	/**
	 * A node that stops for longer than the TTL (a long GC pause, a frozen VM) is reaped by
	 * the others, which deletes its counts; when it comes back it must write them all again,
	 * not only what changed, or the cluster undercounts and a channel it still holds looks
	 * vacated to the others.
	 */
	@Test
	void aNodeReapedAfterAPauseWritesAllItsCountsBack() {
		TestNode a = node("a", Duration.ofMillis(900));
		TestNode b = node("b", Duration.ofMillis(900));
		Client onA = a.connect(new RecordingConn());
		a.hub.subscribe(onA, "public-news");
		b.hub.subscribe(b.connect(new RecordingConn()), "public-news");
		b.hub.subscribe(b.connect(new RecordingConn()), "only-b");
		b.joinPresence(new RecordingConn(), ROOM, "bob");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> a.stats.occupiedChannels().equals(java.util.Map.of("public-news", 2, "only-b", 1, ROOM, 1)));
		long reaped = a.presence.reapedNodes();

		// b's scheduler (heartbeat and count writes) stops for more than the TTL.
		b.connections.scheduler().execute(() -> {
			try {
				Thread.sleep(2500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> a.presence.reapedNodes() > reaped);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> a.stats.occupiedChannels().equals(java.util.Map.of("public-news", 2, "only-b", 1, ROOM, 1)));
		assertThat(a.stats.users(ROOM)).containsExactly("bob");
		// a's last subscriber leaves: the channel is still b's, so not vacated for the cluster.
		a.hub.unsubscribe(onA, "public-news");
		await().atMost(Duration.ofSeconds(5)).until(() -> a.stats.subscriptionCount("public-news") == 1);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
			.until(() -> a.stats.subscriptionCount("public-news") == 1);
	}

}
