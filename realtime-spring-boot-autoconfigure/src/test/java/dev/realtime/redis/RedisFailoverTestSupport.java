package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on a Redis topology of a test's own, alice on one and bob on the other in one
 * presence channel, and what a failover test asserts: ticks published through one node
 * reach the other in order and once, and the roster is whole again afterwards.
 */
abstract class RedisFailoverTestSupport {

	protected static final String ROOM = "presence-room";

	private static final String TICK = "client-tick";

	protected final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	protected TestNode a;

	protected TestNode b;

	protected RecordingConn bobOnB;

	private AutoCloseable servers;

	/** Start the nodes on the servers (closed after the test) and join alice and bob. */
	protected void startNodes(AutoCloseable servers, String uri) {
		this.servers = servers;
		Duration ttl = Duration.ofSeconds(3);
		this.a = new TestNode(uri, this.prefix, "a", ttl);
		this.b = new TestNode(uri, this.prefix, "b", ttl);
		this.a.joinPresence(new RecordingConn(), ROOM, "alice");
		this.bobOnB = new RecordingConn();
		this.b.joinPresence(this.bobOnB, ROOM, "bob");
		await().atMost(Duration.ofSeconds(10)).until(() -> roster(this.a).equals(List.of("alice", "bob")));
	}

	@AfterEach
	void stop() throws Exception {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		if (this.servers != null) {
			this.servers.close();
		}
	}

	/** Publish numbered ticks through node a until closed; returns once b has some. */
	protected AutoCloseable traffic() {
		Traffic traffic = new Traffic(this.a);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.bobOnB.payloads(TICK).size() >= 20);
		return traffic;
	}

	/** Both nodes are up and a probe goes from one to the other through the new primary. */
	protected void awaitFollowedToTheNewPrimary() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.a.broadcaster.health().up() && this.b.broadcaster.health().up());
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			this.a.broadcaster.publish(new Event(ROOM, "client-probe", "p"));
			return !this.bobOnB.payloads("client-probe").isEmpty();
		});
	}

	protected void assertDeliveryInOrderAndCompleteAfterwards() {
		// Across the failover some ticks may be lost, but none arrive twice or out of order.
		List<Integer> during = this.bobOnB.payloads(TICK).stream().map(Integer::valueOf).toList();
		assertThat(during).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
		int n = 300;
		for (int i = 0; i < n; i++) {
			this.a.broadcaster.publish(new Event(ROOM, "client-after", Integer.toString(i)));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.bobOnB.payloads("client-after").size() >= n);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			expected.add(Integer.toString(i));
		}
		assertThat(this.bobOnB.payloads("client-after")).containsExactlyElementsOf(expected);
		assertThat(during.size()).isGreaterThanOrEqualTo(20);
	}

	/** A join made on a while there was no primary is in everyone's roster, announced, and seen by a newcomer. */
	protected void assertWrittenBack(String userId) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> roster(this.b), (ids) -> ids.equals(List.of("alice", "bob", userId)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.bobOnB.payloads("pusher_internal:member_added")
			.stream()
			.anyMatch((payload) -> payload.contains("\"" + userId + "\"")));
		RecordingConn dave = new RecordingConn();
		this.b.joinPresence(dave, ROOM, "dave");
		assertThat(dave.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob," + userId + ",dave");
	}

	protected static List<String> roster(TestNode node) {
		return node.presence.members(ROOM).stream().map(Member::id).sorted().toList();
	}

	/** Publishes numbered ticks through a node every few milliseconds until closed. */
	private static final class Traffic implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger sent = new AtomicInteger();

		private final Thread thread;

		Traffic(TestNode node) {
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					node.broadcaster.publish(new Event(ROOM, TICK, Integer.toString(this.sent.getAndIncrement())));
					try {
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "traffic");
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(5000);
		}

	}

}
