package dev.realtime.redis;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on a Redis Sentinel set-up of their own while the primary fails over under
 * steady traffic: the nodes follow the sentinel to the new primary by themselves, every
 * event published after the failover completes reaches the other node in order (none
 * twice, none out of order even across the failover), and the roster is whole again,
 * including a join made while there was no primary (written back).
 */
class RedisSentinelFailoverTest extends RedisFailoverTestSupport {

	private RedisSentinelTestServers servers;

	@BeforeEach
	void start() {
		this.servers = RedisSentinelTestServers.start();
		startNodes(this.servers, this.servers.uri());
	}

	@Test
	void aSentinelFailoverMidTrafficLosesNothingAfterItCompletes() throws Exception {
		try (AutoCloseable traffic = traffic()) {
			int old = this.servers.primaryPort();
			this.servers.failover();
			this.servers.awaitPrimaryOtherThan(old);
			awaitFollowedToTheNewPrimary();
		}
		assertDeliveryInOrderAndCompleteAfterwards();
		assertThat(roster(this.b)).containsExactly("alice", "bob");
	}

	@Test
	void aKilledPrimaryIsReplacedAndAJoinMadeMeanwhileIsWrittenBack() throws Exception {
		try (AutoCloseable traffic = traffic()) {
			int old = this.servers.primaryPort();
			this.servers.killPrimary();
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.a.broadcaster.health().up());
			// No primary now: the join is recorded locally and must be written back.
			this.a.joinPresence(new RecordingConn(), ROOM, "carol");
			this.servers.awaitPrimaryOtherThan(old);
			awaitFollowedToTheNewPrimary();
		}
		assertDeliveryInOrderAndCompleteAfterwards();
		assertWrittenBack("carol");
	}

}
