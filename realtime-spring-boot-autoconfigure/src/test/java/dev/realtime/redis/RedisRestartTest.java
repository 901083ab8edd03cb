package dev.realtime.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Redis restart (an embedded Redis of this test's own, stopped and started again
 * on the same port with its data gone): the nodes reconnect by themselves, subscribe
 * again, reload their scripts and rebuild the rosters from what their clients hold.
 */
class RedisRestartTest {

	private static final String ADDED = "pusher_internal:member_added";

	private static final String ROOM = "presence-room";

	private final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	private RedisServer server;

	private TestNode a;

	private TestNode b;

	@AfterEach
	void stop() throws IOException {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		this.server.stop();
	}

	@Test
	void afterARestartNodesReconnectResubscribeAndRebuildTheRosters() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.server = new RedisServer(port);
		this.server.start();
		String uri = "redis://127.0.0.1:" + port;
		Duration ttl = Duration.ofMillis(900);
		this.a = new TestNode(uri, this.prefix, "a", ttl);
		this.b = new TestNode(uri, this.prefix, "b", ttl);
		RecordingConn aliceOnA = new RecordingConn();
		this.a.joinPresence(aliceOnA, ROOM, "alice");
		RecordingConn bobOnB = new RecordingConn();
		this.b.joinPresence(bobOnB, ROOM, "bob");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceOnA.payloads(ADDED).size() == 1);

		this.server.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.a.broadcaster.health().up());
		// Local delivery goes on while Redis is down.
		this.b.broadcaster.publish(new Event(ROOM, "client-local", "while down"));
		await().atMost(Duration.ofSeconds(5)).until(() -> bobOnB.payloads("client-local").size() == 1);
		this.server.start();

		await().atMost(Duration.ofSeconds(15)).until(() -> this.a.broadcaster.health().up()
				&& this.b.broadcaster.health().up());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.a.presence.members(ROOM).stream().map(Member::id).sorted().toList(),
					(ids) -> ids.equals(List.of("alice", "bob")));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.a.broadcaster.publish(new Event(ROOM, "probe", "p"));
			return !bobOnB.payloads("probe").isEmpty();
		});
		// A newcomer after the restart sees everyone, through a freshly loaded script.
		RecordingConn carol = new RecordingConn();
		this.a.joinPresence(carol, ROOM, "carol");
		assertThat(carol.awaitFirstFrame()).isEqualTo("subscribed|" + ROOM + "|alice,bob,carol");
		assertThat(this.a.broadcaster.health().reconnects()).isGreaterThanOrEqualTo(3);
	}

}
