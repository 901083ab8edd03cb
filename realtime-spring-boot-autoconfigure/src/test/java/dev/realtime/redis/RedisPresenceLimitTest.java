package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.realtime.Client;
import dev.realtime.Joined;
import dev.realtime.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The presence member limit holds for the whole cluster: the distinct users on all nodes,
 * decided inside the join script, and a refused join is announced nowhere.
 */
class RedisPresenceLimitTest extends RedisNodesTestSupport {

	private static final String ROOM = "presence-limited";

	private static final int LIMIT = 5;

	private static final Pattern USER = Pattern.compile("\"user_id\":\"([^\"]+)\"");

	@Test
	void concurrentJoinsOnThreeNodesStopAtTheLimitAndRefusedOnesAreNeverAnnounced() throws Exception {
		List<TestNode> nodes = List.of(node("a", LIMIT), node("b", LIMIT), node("c", LIMIT));
		List<String> clusterAdded = new CopyOnWriteArrayList<>();
		for (TestNode node : nodes) {
			node.presence.onClusterPresence((event) -> {
				if (event.joined()) {
					clusterAdded.add(event.member().id());
				}
			});
		}
		int users = 15;
		Map<String, Joined> outcomes = new ConcurrentHashMap<>();
		Map<String, RecordingConn> conns = new ConcurrentHashMap<>();
		ExecutorService pool = Executors.newFixedThreadPool(users);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> joins = new ArrayList<>();
		for (int i = 0; i < users; i++) {
			String user = "user-" + i;
			TestNode node = nodes.get(i % nodes.size());
			joins.add(pool.submit(() -> {
				RecordingConn conn = new RecordingConn();
				Client client = node.connect(conn);
				conns.put(user, conn);
				start.await();
				outcomes.put(user, node.hub.subscribe(client, ROOM, new Member(user, "{}")));
				return null;
			}));
		}
		start.countDown();
		for (Future<?> join : joins) {
			join.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();

		List<String> accepted = outcomes.entrySet().stream().filter((e) -> e.getValue() == Joined.SUBSCRIBED)
			.map(Map.Entry::getKey).toList();
		List<String> refused = outcomes.entrySet().stream().filter((e) -> e.getValue() == Joined.PRESENCE_FULL)
			.map(Map.Entry::getKey).toList();
		assertThat(accepted).hasSize(LIMIT);
		assertThat(refused).hasSize(users - LIMIT);
		assertThat(redis().hkeys(keys().members(ROOM)))
			.containsExactlyInAnyOrderElementsOf(accepted);
		// A second tab of an accepted user is not a new member: still allowed.
		TestNode first = nodes.get(0);
		assertThat(first.hub.subscribe(first.connect(new RecordingConn()), ROOM, new Member(accepted.get(0), "{}")))
			.isEqualTo(Joined.SUBSCRIBED);

		await().atMost(Duration.ofSeconds(5)).until(() -> clusterAdded.size() >= LIMIT);
		// Let any stray announcement arrive before checking that none was made.
		Thread.sleep(500);
		assertThat(clusterAdded).containsExactlyInAnyOrderElementsOf(accepted);
		for (String user : refused) {
			assertThat(conns.get(user).frames()).noneMatch((frame) -> frame.startsWith("subscribed|"));
		}
		for (String user : accepted) {
			for (String announced : announcedUsers(conns.get(user))) {
				assertThat(refused).doesNotContain(announced);
			}
		}
		for (TestNode node : nodes) {
			assertThat(node.hub.presence(ROOM)).extracting(Member::id).allMatch(accepted::contains);
		}
	}

	private static Set<String> announcedUsers(RecordingConn conn) {
		Set<String> users = ConcurrentHashMap.newKeySet();
		for (String frame : conn.events("pusher_internal:member_added")) {
			Matcher matcher = USER.matcher(frame);
			if (matcher.find()) {
				users.add(matcher.group(1));
			}
		}
		return users;
	}

}
