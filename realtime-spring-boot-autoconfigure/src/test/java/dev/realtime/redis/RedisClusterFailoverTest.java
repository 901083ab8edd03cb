package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.realtime.Member;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on a Redis Cluster of their own (three primaries, a replica each) while the
 * primary serving the channel's slot is killed under steady traffic: its replica takes
 * over, the nodes' sharded subscriptions follow it by themselves, every event published
 * after the failover completes reaches the other node once and in order, and the roster
 * is whole again, including a join made while the slot had no primary (written back).
 */
class RedisClusterFailoverTest extends RedisFailoverTestSupport {

	private RedisClusterTestServers servers;

	@BeforeEach
	void start() {
		this.servers = RedisClusterTestServers.start();
		startNodes(this.servers, this.servers.uri());
	}

	@Test
	void aKilledPrimaryIsReplacedAndTheNodesFollowItsSlots() throws Exception {
		String redisChannel = new RedisKeys(this.prefix).channel(ROOM);
		try (AutoCloseable traffic = traffic()) {
			int old = this.servers.primaryPortOf(redisChannel);
			this.servers.kill(old);
			// No primary for the slot until the replica is promoted: the join is kept
			// locally and written back.
			this.a.joinPresence(new RecordingConn(), ROOM, "carol");
			this.servers.awaitPrimaryOtherThan(redisChannel, old);
			awaitFollowedToTheNewPrimary();
		}
		assertDeliveryInOrderAndCompleteAfterwards();
		assertWrittenBack("carol");
	}

	@Test
	void aPrimaryBackAsAReplicaDeliversNothingTwice() throws Exception {
		String redisChannel = new RedisKeys(this.prefix).channel(ROOM);
		try (AutoCloseable traffic = traffic()) {
			int old = this.servers.primaryPortOf(redisChannel);
			this.servers.kill(old);
			this.servers.awaitPrimaryOtherThan(redisChannel, old);
			awaitFollowedToTheNewPrimary();
			// Lettuce reconnects to the old address and subscribes there again: the replica
			// then delivers the shard's messages too.
			this.servers.restart(old);
			Thread.sleep(3000);
		}
		assertDeliveryInOrderAndCompleteAfterwards();
	}

	@Test
	void aKilledNodeIsReapedAcrossShards() {
		// Members in channels of different slots: the reaper's drop spans shards.
		List<String> rooms = List.of("presence-a", "presence-b", "presence-c", "presence-d", "presence-e");
		List<RecordingConn> watchers = new ArrayList<>();
		for (String room : rooms) {
			RecordingConn watcher = new RecordingConn();
			this.a.joinPresence(watcher, room, "alice");
			watchers.add(watcher);
			this.b.joinPresence(new RecordingConn(), room, "bob");
		}
		for (RecordingConn watcher : watchers) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> watcher.payloads("pusher_internal:member_added").size() == 1);
		}
		this.b.kill();
		this.b = null;
		for (RecordingConn watcher : watchers) {
			await().atMost(Duration.ofSeconds(15))
				.until(() -> watcher.payloads("pusher_internal:member_removed").size() == 1);
		}
		for (String room : rooms) {
			assertThat(this.a.presence.members(room)).extracting(Member::id).containsExactly("alice");
		}
		assertThat(this.a.presence.reapedNodes()).isEqualTo(1);
	}

}
