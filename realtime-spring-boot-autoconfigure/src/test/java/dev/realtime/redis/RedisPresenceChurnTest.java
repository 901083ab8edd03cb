package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.realtime.Client;
import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many users opening and closing tabs on three nodes at once: every observer, on every
 * node, sees each user's membership as a strict alternation of added / removed that ends
 * where the cluster roster ends.
 */
class RedisPresenceChurnTest extends RedisNodesTestSupport {

	private static final String ROOM = "presence-churn";

	private static final Pattern USER = Pattern.compile("\"user_id\":\"([^\"]+)\"");

	@Test
	void concurrentJoinsAndLeavesAreAnnouncedExactlyOncePerUserChange() throws Exception {
		List<TestNode> nodes = List.of(node("a"), node("b"), node("c"));
		List<RecordingConn> observers = new ArrayList<>();
		for (TestNode node : nodes) {
			RecordingConn observer = new RecordingConn();
			node.joinPresence(observer, ROOM, "observer-" + node.name);
			observer.awaitFirstFrame();
			observers.add(observer);
		}
		ExecutorService workers = Executors.newFixedThreadPool(3);
		List<Future<Map<String, Integer>>> results = new ArrayList<>();
		for (int w = 0; w < 3; w++) {
			TestNode node = nodes.get(w);
			long seed = 42 + w;
			results.add(workers.submit(() -> churn(node, new Random(seed))));
		}
		Map<String, Integer> openTabs = new HashMap<>();
		for (Future<Map<String, Integer>> result : results) {
			result.get().forEach((user, tabs) -> openTabs.merge(user, tabs, Integer::sum));
		}
		workers.shutdown();
		Set<String> expected = new HashSet<>();
		openTabs.forEach((user, tabs) -> {
			if (tabs > 0) {
				expected.add(user);
			}
		});
		nodes.forEach((node) -> expected.add("observer-" + node.name));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> new HashSet<>(nodes.get(0).presence.members(ROOM).stream().map(Member::id).toList()),
					expected::equals);
		for (RecordingConn observer : observers) {
			await().atMost(Duration.ofSeconds(10)).until(() -> finalMembers(observer).equals(expected));
		}
	}

	/** Random joins and leaves of users u0..u7 on one node; returns the tabs left open per user. */
	private Map<String, Integer> churn(TestNode node, Random random) {
		Map<String, List<Client>> tabs = new HashMap<>();
		for (int i = 0; i < 150; i++) {
			String user = "u" + random.nextInt(8);
			List<Client> open = tabs.computeIfAbsent(user, (key) -> new ArrayList<>());
			if (open.isEmpty() || random.nextBoolean()) {
				open.add(node.joinPresence(new RecordingConn(), ROOM, user));
			}
			else {
				node.hub.remove(open.remove(random.nextInt(open.size())));
			}
		}
		Map<String, Integer> counts = new HashMap<>();
		tabs.forEach((user, open) -> counts.put(user, open.size()));
		return counts;
	}

	/**
	 * Replays what an observer was told: its confirmation's roster, then each added /
	 * removed, which must alternate per user (never added twice or removed twice in a row).
	 */
	private static Set<String> finalMembers(RecordingConn observer) {
		List<String> frames = observer.frames();
		Set<String> members = new HashSet<>(List.of(frames.get(0).split("\\|", 3)[2].split(",")));
		for (String frame : frames.subList(1, frames.size())) {
			String[] parts = frame.split("\\|", 4);
			Matcher user = USER.matcher(parts[3]);
			assertThat(user.find()).isTrue();
			if (parts[2].equals("pusher_internal:member_added")) {
				assertThat(members.add(user.group(1))).as("%s added twice", user.group(1)).isTrue();
			}
			else if (parts[2].equals("pusher_internal:member_removed")) {
				assertThat(members.remove(user.group(1))).as("%s removed twice", user.group(1)).isTrue();
			}
		}
		return members;
	}


	/**
	 * Joins on one node that overlap without end while another node publishes: the events
	 * a member of the channel receives are held only behind the joins that were in
	 * progress when each arrived, so they keep flowing, all of them, in order, none let
	 * through early, while the joins go on.
	 */
	@Test
	void eventsKeepFlowingInOrderWhileJoinsOverlapWithoutEnd() throws Exception {
		String room = "presence-busy";
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn member = new RecordingConn();
		b.joinPresence(member, room, "member");
		member.awaitFirstFrame();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger joins = new AtomicInteger();
		ExecutorService joiners = Executors.newFixedThreadPool(4);
		List<Future<?>> running = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			running.add(joiners.submit(() -> {
				while (!stop.get()) {
					// Tabs of the present member: each join holds the channel, none is announced,
					// so the member's connection carries the events and little else.
					Client joiner = b.joinPresence(new RecordingConn(), room, "member");
					joins.incrementAndGet();
					b.hub.remove(joiner);
				}
				return null;
			}));
		}
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> joins.get() > 50);
			// About 2,500 a second: well within what the member's connection takes on a busy machine.
			int total = 10_000;
			for (int i = 0; i < total; i++) {
				a.broadcaster.publish(new Event(room, "tick", Integer.toString(i)));
				if (i % 50 == 49) {
					Thread.sleep(20);
				}
			}
			// All delivered while the joins still overlap: they are only stopped afterwards.
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> member.payloads("tick").size() >= total);
			}
			catch (RuntimeException ex) {
				assertThat(member.payloads("tick")).as("ticks received; hub drops %d, hold overflows %d, joins %d",
						b.hub.dropped(), b.broadcaster.holdOverflows(), joins.get()).hasSize(total);
			}
			assertThat(member.payloads("tick"))
				.containsExactlyElementsOf(IntStream.range(0, total).mapToObj(Integer::toString).toList());
			assertThat(b.broadcaster.holdOverflows()).isZero();
			assertThat(b.hub.dropped()).isZero();
		}
		finally {
			stop.set(true);
			for (Future<?> joiner : running) {
				joiner.get(30, TimeUnit.SECONDS);
			}
			joiners.shutdown();
		}
	}

}
