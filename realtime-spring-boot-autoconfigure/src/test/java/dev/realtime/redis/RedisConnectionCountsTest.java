package dev.realtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.realtime.pusher.App;
import dev.realtime.pusher.AppSettings;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.OverQuotaException;
import dev.realtime.pusher.TrustedProxies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * App connection quotas across nodes on one real Redis: each node's admission learns the
 * other nodes' counts within a stats interval, and a dead node's count goes with its TTL.
 */
class RedisConnectionCountsTest extends RedisNodesTestSupport {

	private static final App APP = new App("1", "key", "secret",
			new AppSettings(true, null, null, null, null, 3, List.of()));

	@Test
	void aQuotaCountsTheConnectionsOfEveryNode() {
		TestNode a = node("a");
		TestNode b = node("b");
		ConnectionAdmission onA = admission();
		ConnectionAdmission onB = admission();
		try (RedisConnectionCounts countsA = counts(a, onA); RedisConnectionCounts countsB = counts(b, onB)) {
			onA.admit(APP, null, null);
			onA.admit(APP, null, null);
			ConnectionAdmission.Ticket onBTicket = onB.admit(APP, null, null);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatExceptionOfType(
					OverQuotaException.class).isThrownBy(() -> onB.admit(APP, null, null).release()));
			assertThat(redis().hget(keys().nodeConnections("a"), "1")).isEqualTo("2");
			assertThat(redis().pttl(keys().nodeConnections("a"))).isPositive();
			// A place freed on b is b's again at once; others' counts are only read, never waited for.
			onBTicket.release();
			onB.admit(APP, null, null);
		}
		assertThat(redis().exists(keys().nodeConnections("a"), keys().nodeConnections("b"))).isZero();
	}

	@Test
	void aDeadNodesConnectionsStopCountingWithItsTtl() {
		Duration ttl = Duration.ofMillis(900);
		TestNode a = node("a", ttl);
		TestNode b = node("b", ttl);
		ConnectionAdmission onA = admission();
		ConnectionAdmission onB = admission();
		RedisConnectionCounts countsA = counts(a, onA);
		try (RedisConnectionCounts countsB = counts(b, onB)) {
			for (int i = 0; i < 3; i++) {
				onA.admit(APP, null, null);
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatExceptionOfType(
					OverQuotaException.class).isThrownBy(() -> onB.admit(APP, null, null).release()));
			countsA.close();
			a.kill();
			// Refused until b's next exchange no longer counts a.
			await().atMost(Duration.ofSeconds(10))
				.ignoreException(OverQuotaException.class)
				.untilAsserted(() -> onB.admit(APP, null, null).release());
		}
	}

	private static ConnectionAdmission admission() {
		return new ConnectionAdmission(0, 0, 0, TrustedProxies.NONE);
	}

	private static RedisConnectionCounts counts(TestNode node, ConnectionAdmission admission) {
		return new RedisConnectionCounts(node.connections, admission::connectionsPerApp, admission::elsewhere);
	}

}
