package dev.realtime.redis;

import java.time.Duration;
import java.util.List;

import dev.realtime.ChannelNames;
import dev.realtime.Client;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watchlists across nodes on one real Redis: a user's online state is the cluster's, not
 * a node's, and each transition reaches every watcher once.
 */
class RedisWatchlistTest extends RedisNodesTestSupport {

	private static final String ONLINE = "pusher_internal:member_added";

	private static final String OFFLINE = "pusher_internal:member_removed";

	private static final String VIC = ChannelNames.userOnline("vic");

	private static Client signIn(TestNode node, RecordingConn conn, String userId) {
		Client client = node.connect(conn);
		node.hub.signIn(client, userId);
		node.hub.goOnline(client);
		return client;
	}

	private static Client watcher(TestNode node, RecordingConn conn, String userId, String watched) {
		Client client = signIn(node, conn, userId);
		assertThat(node.hub.watch(client, List.of(watched))).isOne();
		return client;
	}

	@Test
	void watchersOnEveryNodeHearOnceWhenTheUsersFirstConnectionInTheClusterArrivesAndItsLastLeaves() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn wandaOnA = new RecordingConn();
		watcher(a, wandaOnA, "wanda", "vic");
		RecordingConn waltOnB = new RecordingConn();
		watcher(b, waltOnB, "walt", "vic");
		assertThat(wandaOnA.awaitFirstFrame()).isEqualTo("subscribed|" + VIC + "|");
		assertThat(waltOnB.awaitFirstFrame()).isEqualTo("subscribed|" + VIC + "|");

		Client vicOnA = signIn(a, new RecordingConn(), "vic");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> wandaOnA.payloads(ONLINE).size() == 1 && waltOnB.payloads(ONLINE).size() == 1);
		// A second tab on the other node, then the first tab closes: vic never went offline.
		Client vicOnB = signIn(b, new RecordingConn(), "vic");
		await().atMost(Duration.ofSeconds(5)).until(() -> a.presence.members(VIC).size() == 1);
		a.hub.remove(vicOnA);
		b.hub.remove(vicOnB);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> wandaOnA.payloads(OFFLINE).size() == 1 && waltOnB.payloads(OFFLINE).size() == 1);
		assertThat(wandaOnA.payloads(ONLINE)).containsExactly("{\"user_id\":\"vic\",\"user_info\":null}");
		assertThat(waltOnB.payloads(ONLINE)).hasSize(1);
		assertThat(wandaOnA.payloads(OFFLINE)).containsExactly("{\"user_id\":\"vic\"}");
		assertThat(a.presence.members(VIC)).isEmpty();
	}

	@Test
	void aWatcherIsToldWhoIsOnlineOnOtherNodesWhenItStartsWatching() {
		TestNode a = node("a");
		TestNode b = node("b");
		signIn(b, new RecordingConn(), "vic");
		await().atMost(Duration.ofSeconds(5)).until(() -> a.presence.members(VIC).size() == 1);
		RecordingConn wandaOnA = new RecordingConn();
		watcher(a, wandaOnA, "wanda", "vic");
		assertThat(wandaOnA.awaitFirstFrame()).isEqualTo("subscribed|" + VIC + "|vic");
	}

	@Test
	void aWatchDoesNotCountAsBeingOnline() {
		TestNode a = node("a");
		TestNode b = node("b");
		watcher(a, new RecordingConn(), "wanda", "vic");
		RecordingConn vicOnB = new RecordingConn();
		watcher(b, vicOnB, "vic", "wanda");
		// Each is online (their own sign-in) and watched by the other; neither watch made
		// the watched user a member.
		assertThat(vicOnB.awaitFirstFrame()).isEqualTo("subscribed|" + ChannelNames.userOnline("wanda") + "|wanda");
		assertThat(a.presence.members(VIC)).extracting((member) -> member.id()).containsExactly("vic");
		assertThat(a.presence.members(ChannelNames.userOnline("wanda"))).extracting((member) -> member.id())
			.containsExactly("wanda");
	}

	@Test
	void aKilledNodesUsersGoOfflineForWatchersOnTheOthersWithinTheTtl() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		RecordingConn wandaOnA = new RecordingConn();
		watcher(a, wandaOnA, "wanda", "vic");
		signIn(b, new RecordingConn(), "vic");
		await().atMost(Duration.ofSeconds(5)).until(() -> wandaOnA.payloads(ONLINE).size() == 1);
		b.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> wandaOnA.payloads(OFFLINE).size() == 1);
		assertThat(a.presence.members(VIC)).isEmpty();
	}

}
