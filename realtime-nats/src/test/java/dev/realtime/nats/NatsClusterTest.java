package dev.realtime.nats;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.realtime.ChannelNames;
import dev.realtime.Client;
import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import dev.realtime.internal.EventHolds;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes in this JVM on the real NATS server: events, presence, counts, webhook
 * claims and recovery from a lost connection. Skipped when no NATS is reachable.
 */
class NatsClusterTest extends NatsNodesTestSupport {

	private static final String ADDED = "pusher_internal:member_added";

	private static final String REMOVED = "pusher_internal:member_removed";

	private static final String ROOM = "presence-room";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void eventsReachEveryNodeOnceAndInOrder() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		List<RecordingConn> conns = new ArrayList<>();
		for (TestNode node : List.of(a, b, c)) {
			RecordingConn conn = new RecordingConn();
			node.hub.subscribe(node.connect(conn), "orders");
			conns.add(conn);
		}
		awaitSubscribed("orders", b, c);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			a.broadcaster.publish(new Event("orders", "order", Integer.toString(i)));
			expected.add(Integer.toString(i));
		}
		for (RecordingConn conn : conns) {
			await().atMost(WAIT).until(() -> conn.payloads("order").size() >= 2000);
			assertThat(conn.payloads("order")).containsExactlyElementsOf(expected);
		}
		assertThat(a.broadcaster.remoteDropped()).isZero();
	}

	@Test
	void channelNamesWithDotsGetTheirOwnSubjects() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn dotted = new RecordingConn();
		RecordingConn plain = new RecordingConn();
		b.hub.subscribe(b.connect(dotted), "private-a.b");
		b.hub.subscribe(b.connect(plain), "private-a");
		awaitSubscribed("private-a.b", b);
		awaitSubscribed("private-a", b);
		a.broadcaster.publish(new Event("private-a.b", "hit", "dotted"));
		a.broadcaster.publish(new Event("private-a", "hit", "plain"));
		await().atMost(WAIT).until(() -> dotted.payloads("hit").size() == 1 && plain.payloads("hit").size() == 1);
		assertThat(dotted.payloads("hit")).containsExactly("dotted");
		assertThat(plain.payloads("hit")).containsExactly("plain");
	}

	@Test
	void presenceHasOneMemberPerUserAcrossNodesAndAnnouncesOnce() {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp() && c.connection.isUp());
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		await().atMost(WAIT).until(() -> !aliceOnA.frames().isEmpty());
		assertThat(aliceOnA.frames().get(0)).isEqualTo("subscribed|" + ROOM + "|alice");

		RecordingConn bobOnB = new RecordingConn();
		Client bobTab1 = b.joinPresence(bobOnB, ROOM, "bob");
		assertThat(bobOnB.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob");
		await().atMost(WAIT).until(() -> aliceOnA.payloads(ADDED).size() == 1);
		assertThat(aliceOnA.payloads(ADDED)).containsExactly("{\"user_id\":\"bob\",\"user_info\":{\"name\":\"bob\"}}");

		// Bob's second tab, on another node: one member, nobody told again.
		RecordingConn bobOnC = new RecordingConn();
		Client bobTab2 = c.joinPresence(bobOnC, ROOM, "bob");
		assertThat(bobOnC.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob");
		RecordingConn carolOnC = new RecordingConn();
		c.joinPresence(carolOnC, ROOM, "carol");
		await().atMost(WAIT).until(() -> aliceOnA.payloads(ADDED).size() == 2 && bobOnB.payloads(ADDED).size() == 1
				&& bobOnC.payloads(ADDED).size() == 1);
		assertThat(carolOnC.payloads(ADDED)).isEmpty();
		assertThat(c.presence.members(ROOM)).extracting(Member::id).containsExactlyInAnyOrder("alice", "bob", "carol");

		// Bob closes one tab: still a member. Then the other: removed, once, everywhere.
		c.hub.remove(bobTab2);
		b.hub.unsubscribe(bobTab1, ROOM);
		await().atMost(WAIT).until(() -> aliceOnA.payloads(REMOVED).size() == 1 && carolOnC.payloads(REMOVED).size() == 1);
		assertThat(aliceOnA.payloads(REMOVED)).containsExactly("{\"user_id\":\"bob\"}");
		assertThat(c.presence.members(ROOM)).extracting(Member::id).containsExactlyInAnyOrder("alice", "carol");
		await().atMost(WAIT).until(() -> a.stats.users(ROOM).size() == 2);
		assertThat(aliceOnA.payloads(ADDED)).hasSize(2);
		assertThat(aliceOnA.payloads(REMOVED)).hasSize(1);
	}

	@Test
	void concurrentFirstJoinsOfOneUserOnManyNodesAnnounceItOnce() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp() && c.connection.isUp());
		RecordingConn watcher = new RecordingConn();
		a.joinPresence(watcher, ROOM, "watcher");
		watcher.awaitFirstFrame();
		List<String> heard = new CopyOnWriteArrayList<>();
		for (TestNode node : List.of(a, b, c)) {
			node.presence.onClusterPresence((event) -> heard.add((event.joined() ? "+" : "-") + event.member().id()));
		}
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			List<Callable<Client>> joins = new ArrayList<>();
			for (TestNode node : List.of(a, b, c, a, b, c)) {
				joins.add(() -> node.joinPresence(new RecordingConn(), ROOM, "dave"));
			}
			for (Future<Client> join : threads.invokeAll(joins)) {
				join.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdown();
		}
		await().atMost(WAIT).until(() -> watcher.payloads(ADDED).size() >= 1);
		// Settle: no second announcement follows.
		Thread.sleep(300);
		assertThat(watcher.payloads(ADDED)).hasSize(1);
		assertThat(heard).containsExactly("+dave");
	}

	@Test
	void watchersHearOnceWhenAUsersFirstConnectionInTheClusterArrivesAndItsLastLeaves() {
		TestNode a = node("a");
		TestNode b = node("b");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		String vic = ChannelNames.userOnline("vic");
		RecordingConn wandaOnA = new RecordingConn();
		watch(a, wandaOnA, "wanda", "vic");
		assertThat(wandaOnA.awaitFirstFrame()).isEqualTo("subscribed|" + vic + "|");
		Client vicOnA = signIn(a, new RecordingConn(), "vic");
		Client vicOnB = signIn(b, new RecordingConn(), "vic");
		await().atMost(WAIT).until(() -> wandaOnA.payloads(ADDED).size() == 1);
		a.hub.remove(vicOnA);
		b.hub.remove(vicOnB);
		await().atMost(WAIT).until(() -> wandaOnA.payloads(REMOVED).size() == 1);
		assertThat(wandaOnA.payloads(ADDED)).containsExactly("{\"user_id\":\"vic\",\"user_info\":null}");
		assertThat(a.presence.members(vic)).isEmpty();
	}

	@Test
	void aWatcherIsToldWhoIsOnlineOnOtherNodesWhenItStartsWatching() {
		TestNode a = node("a");
		TestNode b = node("b");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		signIn(b, new RecordingConn(), "vic");
		RecordingConn wandaOnA = new RecordingConn();
		watch(a, wandaOnA, "wanda", "vic");
		assertThat(wandaOnA.awaitFirstFrame()).isEqualTo("subscribed|" + ChannelNames.userOnline("vic") + "|vic");
		// The watch counts nothing: vic is still the only member.
		assertThat(a.presence.members(ChannelNames.userOnline("vic"))).extracting(Member::id).containsExactly("vic");
	}

	private static Client signIn(TestNode node, RecordingConn conn, String userId) {
		Client client = node.connect(conn);
		node.hub.signIn(client, userId);
		node.hub.goOnline(client);
		return client;
	}

	private static void watch(TestNode node, RecordingConn conn, String userId, String watched) {
		assertThat(node.hub.watch(signIn(node, conn, userId), List.of(watched))).isOne();
	}

	@Test
	void aDeadNodesMembersAreRemovedAndAnnounced() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		List<String> heard = new CopyOnWriteArrayList<>();
		b.presence.onClusterPresence((event) -> heard.add((event.joined() ? "+" : "-") + event.member().id()));
		RecordingConn bobOnB = new RecordingConn();
		b.joinPresence(bobOnB, ROOM, "bob");
		bobOnB.awaitFirstFrame();
		a.joinPresence(new RecordingConn(), ROOM, "alice");
		await().atMost(WAIT).until(() -> bobOnB.payloads(ADDED).size() == 1);
		a.kill();
		await().atMost(WAIT).until(() -> bobOnB.payloads(REMOVED).size() == 1);
		assertThat(bobOnB.payloads(REMOVED)).containsExactly("{\"user_id\":\"alice\"}");
		assertThat(b.presence.members(ROOM)).extracting(Member::id).containsExactly("bob");
		assertThat(b.presence.reapedNodes()).isEqualTo(1);
		assertThat(heard).contains("-alice");
	}

	@Test
	void aNodeShuttingDownRemovesItsMembersAtOnce() {
		TestNode a = node("a");
		TestNode b = node("b");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		RecordingConn bobOnB = new RecordingConn();
		b.joinPresence(bobOnB, ROOM, "bob");
		bobOnB.awaitFirstFrame();
		a.joinPresence(new RecordingConn(), ROOM, "alice");
		await().atMost(WAIT).until(() -> bobOnB.payloads(ADDED).size() == 1);
		a.close();
		// Well within the 15 s node TTL: told by the node itself, not by a reaper.
		await().atMost(Duration.ofSeconds(5)).until(() -> bobOnB.payloads(REMOVED).size() == 1);
		assertThat(b.presence.members(ROOM)).extracting(Member::id).containsExactly("bob");
	}

	@Test
	void theMemberLimitHoldsForTheWholeCluster() {
		TestNode a = node("a");
		TestNode b = node("b");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		aliceOnA.awaitFirstFrame();
		// Full at one user: a new user is refused on another node, announced nowhere...
		assertThat(b.presence.join(ROOM, new Member("carol", "{}"), "9.1", 1)).isEmpty();
		b.presence.joined(ROOM, "9.1");
		// ...but another tab of a present user is let in.
		assertThat(b.presence.join(ROOM, new Member("alice", "{}"), "9.2", 1)).extracting(Member::id)
			.containsExactly("alice");
		b.presence.joined(ROOM, "9.2");
		assertThat(a.presence.members(ROOM)).extracting(Member::id).containsExactly("alice");
		assertThat(aliceOnA.payloads(ADDED)).isEmpty();
	}

	@Test
	void countsAreForTheWholeCluster() {
		TestNode a = node("a");
		TestNode b = node("b");
		a.hub.subscribe(a.connect(new RecordingConn()), "public-room");
		a.hub.subscribe(a.connect(new RecordingConn()), "public-room");
		b.hub.subscribe(b.connect(new RecordingConn()), "public-room");
		b.hub.subscribe(b.connect(new RecordingConn()), "other");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		await().atMost(WAIT).until(() -> b.stats.subscriptionCount("public-room") == 3);
		await().atMost(WAIT).until(() -> a.stats.occupiedChannels().equals(java.util.Map.of("other", 1, "public-room", 3)));
	}

	@Test
	void eachWebhookClaimIsWonByOneNode() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp() && c.connection.isUp());
		List<NatsWebhookClaims> claims = new ArrayList<>();
		for (TestNode node : List.of(a, b, c)) {
			claims.add(new NatsWebhookClaims(node.connection, Duration.ofSeconds(5)));
		}
		await().atMost(WAIT).until(() -> {
			try {
				a.connection.keyValue(NatsConnection.WEBHOOKS).getStatus();
				return true;
			}
			catch (Exception ex) {
				return false;
			}
		});
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try {
			for (int round = 0; round < 20; round++) {
				String key = "channel_vacated:room-" + round;
				List<Callable<Boolean>> attempts = claims.stream()
					.map((claim) -> (Callable<Boolean>) () -> claim.claim(key, Duration.ofSeconds(5)))
					.toList();
				int won = 0;
				for (Future<Boolean> attempt : threads.invokeAll(attempts)) {
					won += attempt.get() ? 1 : 0;
				}
				assertThat(won).as(key).isEqualTo(1);
			}
		}
		finally {
			threads.shutdown();
		}
		assertThat(claims).allSatisfy((claim) -> assertThat(claim.unverified()).isZero());
	}

	@Test
	void aNodeThatLosesNatsKeepsServingLocallyAndRecovers() throws Exception {
		URI server = URI.create(NatsTestServer.url());
		CuttableProxy proxy = new CuttableProxy(server.getHost(), server.getPort());
		this.closeables.add(proxy);
		TestNode a = node("a", Duration.ofSeconds(3), "nats://127.0.0.1:" + proxy.port());
		TestNode b = node("b");
		RecordingConn onA = new RecordingConn();
		RecordingConn onB = new RecordingConn();
		a.hub.subscribe(a.connect(onA), "news");
		b.hub.subscribe(b.connect(onB), "news");
		RecordingConn aliceOnA = new RecordingConn();
		a.joinPresence(aliceOnA, ROOM, "alice");
		awaitSubscribed("news", a, b);
		await().atMost(WAIT).until(() -> b.presence.members(ROOM).size() == 1);

		proxy.cut();
		await().atMost(WAIT).until(() -> !a.connection.isUp());
		assertThat(a.broadcaster.health().up()).isFalse();
		// Local delivery goes on; the other node misses what was published meanwhile.
		a.broadcaster.publish(new Event("news", "item", "during"));
		await().atMost(WAIT).until(() -> onA.payloads("item").contains("during"));

		proxy.restore();
		await().atMost(WAIT).until(() -> a.connection.isUp() && a.connection.reconnects() >= 1);
		awaitSubscribed("news", a);
		a.broadcaster.publish(new Event("news", "item", "after"));
		b.broadcaster.publish(new Event("news", "item", "from-b"));
		await().atMost(WAIT).until(() -> onB.payloads("item").contains("after") && onA.payloads("item").contains("from-b"));
		assertThat(onB.payloads("item")).doesNotContain("during");
		assertThat(a.broadcaster.remoteDropped()).isGreaterThanOrEqualTo(1);
		// Presence survived (written back), and a leave on A reaches B.
		assertThat(b.presence.members(ROOM)).extracting(Member::id).containsExactly("alice");
	}

	@Test
	void anOlderAnnouncementForAUserIsNotDeliveredAfterANewerOne() throws Exception {
		TestNode a = node("a");
		RecordingConn watcher = new RecordingConn();
		a.hub.subscribe(a.connect(watcher), "private-raw");
		awaitSubscribed("private-raw", a);
		String subject = new Subjects(this.prefix).channel("private-raw");
		try (Connection raw = Nats.connect(NatsTestServer.url())) {
			// Another node removed bob at revision 7; the add it made at revision 5 arrives late.
			raw.publish(subject, presence("b", REMOVED, "bob", 7));
			raw.publish(subject, presence("b", ADDED, "bob", 5));
			raw.publish(subject, "garbage".getBytes(StandardCharsets.UTF_8));
			raw.publish(subject, new NatsMessage(NatsMessage.EVENT, "b", new Event("private-raw", "marker", "m"), null, 0)
				.encode());
			raw.flush(Duration.ofSeconds(5));
		}
		await().atMost(WAIT).until(() -> watcher.payloads("marker").size() == 1);
		assertThat(watcher.payloads(REMOVED)).hasSize(1);
		assertThat(watcher.payloads(ADDED)).isEmpty();
		assertThat(a.broadcaster.staleAnnouncements()).isEqualTo(1);
		assertThat(a.broadcaster.health().malformed()).isEqualTo(1);
	}

	/**
	 * Presence joins that overlap without end must not keep a channel shut: an event waits
	 * only for the holds taken before it arrived (those joins may not have seen it).
	 */
	@Test
	void overlappingHoldsKeepBackOnlyWhatArrivedWhileAnEarlierHoldWasUp() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onB = new RecordingConn();
		RecordingConn barrier = new RecordingConn();
		b.hub.subscribe(b.connect(onB), "held");
		b.hub.subscribe(b.connect(barrier), "barrier");
		awaitSubscribed("held", b);
		awaitSubscribed("barrier", b);
		EventHolds.Hold first = b.broadcaster.hold("held");
		a.broadcaster.publish(new Event("held", "e", "1"));
		a.broadcaster.publish(new Event("barrier", "e", "b1"));
		await().atMost(WAIT).until(() -> barrier.payloads("e").size() == 1);
		EventHolds.Hold second = b.broadcaster.hold("held");
		a.broadcaster.publish(new Event("held", "e", "2"));
		a.broadcaster.publish(new Event("barrier", "e", "b2"));
		await().atMost(WAIT).until(() -> barrier.payloads("e").size() == 2);
		assertThat(onB.payloads("e")).isEmpty();
		first.release();
		// "1" arrived before the second hold: the second join's roster already had it.
		await().atMost(WAIT).until(() -> onB.payloads("e").size() == 1);
		assertThat(onB.payloads("e")).containsExactly("1");
		second.release();
		await().atMost(WAIT).until(() -> onB.payloads("e").size() == 2);
		assertThat(onB.payloads("e")).containsExactly("1", "2");
	}

	@Test
	void aCacheChannelsLastEventIsSharedByEveryNode() {
		TestNode a = node("a");
		TestNode b = node("b");
		NatsChannelCache onA = new NatsChannelCache(a.connection, Duration.ofMinutes(1));
		NatsChannelCache onB = new NatsChannelCache(b.connection, Duration.ofMinutes(1));
		await().atMost(WAIT).until(() -> a.connection.isUp() && b.connection.isUp());
		await().atMost(WAIT).until(() -> {
			onA.put(new Event("cache-scores", "score", "{\"n\":1}"));
			Event cached = onB.get("cache-scores");
			return cached != null && cached.payload().equals("{\"n\":1}");
		});
		assertThat(onB.get("cache-missing")).isNull();
	}

	private byte[] presence(String origin, String name, String user, long revision) {
		return new NatsMessage(NatsMessage.PRESENCE, origin,
				new Event("private-raw", name, "{\"user_id\":\"" + user + "\"}"), user, revision)
			.encode();
	}

	private void awaitSubscribed(String channel, TestNode... nodes) throws Exception {
		for (TestNode node : nodes) {
			node.broadcaster.acquire(channel).get(10, TimeUnit.SECONDS);
			node.broadcaster.release(channel);
		}
	}

	private TestNode node(String name) {
		return node(name, Duration.ofSeconds(15));
	}

	private TestNode node(String name, Duration ttl) {
		return node(name, ttl, NatsTestServer.url());
	}

	private TestNode node(String name, Duration ttl, String url) {
		TestNode node = new TestNode(url, this.prefix, name, ttl);
		this.closeables.add(node);
		return node;
	}


}
