package dev.realtime.nats;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * App connection counts across nodes on the real NATS server: each node learns the sum of
 * the other nodes' counts per app within a stats interval, a node's counts go when it
 * shuts down or its entry expires, and a node that loses NATS falls back to its own counts
 * and shares again once it is back. Skipped when no NATS is reachable.
 */
class NatsConnectionCountsTest extends NatsNodesTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void eachNodeLearnsTheSumOfTheOtherNodesCountsPerApp() {
		Counted a = counted("a", Duration.ofSeconds(15), NatsTestServer.url());
		Counted b = counted("b", Duration.ofSeconds(15), NatsTestServer.url());
		Counted c = counted("c", Duration.ofSeconds(15), NatsTestServer.url());
		a.local.putAll(Map.of("1", 2, "odd\nid: é", 1));
		b.local.put("1", 1);
		await().atMost(WAIT).until(() -> c.elsewhere.get().equals(Map.of("1", 3, "odd\nid: é", 1)));
		await().atMost(WAIT).until(() -> a.elsewhere.get().equals(Map.of("1", 1)));
		await().atMost(WAIT).until(() -> b.elsewhere.get().equals(Map.of("1", 2, "odd\nid: é", 1)));
		// A change is shared within an interval; an app without connections is left out.
		a.local.remove("odd\nid: é");
		b.local.put("1", 4);
		await().atMost(WAIT).until(() -> c.elsewhere.get().equals(Map.of("1", 6)));
		// A node shutting down takes its counts with it at once, not after its TTL.
		b.counts.close();
		await().atMost(Duration.ofSeconds(3)).until(() -> c.elsewhere.get().equals(Map.of("1", 2)));
		assertThat(a.elsewhere.get()).isEmpty();
	}

	@Test
	void aDeadNodesCountsExpireWithItsTtl() {
		Duration ttl = Duration.ofSeconds(1);
		Counted a = counted("a", ttl, NatsTestServer.url());
		Counted b = counted("b", ttl, NatsTestServer.url());
		a.local.put("1", 3);
		await().atMost(WAIT).until(() -> b.elsewhere.get().equals(Map.of("1", 3)));
		// No goodbye: the connection goes, and with it the scheduler that rewrote the entry.
		a.node.kill();
		await().atMost(WAIT).until(() -> b.elsewhere.get().isEmpty());
	}

	@Test
	void aNodeThatLosesNatsFallsBackToItsOwnCountsAndSharesAgainOnceBack() throws Exception {
		URI server = URI.create(NatsTestServer.url());
		CuttableProxy proxy = new CuttableProxy(server.getHost(), server.getPort());
		this.closeables.add(proxy);
		Duration ttl = Duration.ofSeconds(2);
		Counted a = counted("a", ttl, "nats://127.0.0.1:" + proxy.port());
		Counted b = counted("b", ttl, NatsTestServer.url());
		a.local.put("1", 1);
		b.local.put("1", 2);
		await().atMost(WAIT).until(() -> a.elsewhere.get().equals(Map.of("1", 2)));
		await().atMost(WAIT).until(() -> b.elsewhere.get().equals(Map.of("1", 1)));

		proxy.cut();
		await().atMost(WAIT).until(() -> !a.node.connection.isUp());
		// Both sides stop counting the other after a TTL: b as a's entry expires, a as its
		// last read grows too old.
		await().atMost(WAIT).until(() -> a.elsewhere.get().isEmpty() && b.elsewhere.get().isEmpty());
		a.local.put("1", 5);

		proxy.restore();
		await().atMost(WAIT).until(() -> a.node.connection.isUp());
		await().atMost(WAIT).until(() -> b.elsewhere.get().equals(Map.of("1", 5)));
		await().atMost(WAIT).until(() -> a.elsewhere.get().equals(Map.of("1", 2)));
	}

	private Counted counted(String name, Duration ttl, String url) {
		TestNode node = new TestNode(url, this.prefix, name, ttl);
		this.closeables.add(node);
		Counted counted = new Counted(node);
		this.closeables.add(counted.counts);
		return counted;
	}

	/** A node with its counts: what it holds itself, and what it was last told of the others. */
	private static final class Counted {

		final TestNode node;

		final Map<String, Integer> local = new ConcurrentHashMap<>();

		final AtomicReference<Map<String, Integer>> elsewhere = new AtomicReference<>(Map.of());

		final NatsConnectionCounts counts;

		Counted(TestNode node) {
			this.node = node;
			this.counts = new NatsConnectionCounts(node.connection, () -> Map.copyOf(this.local),
					(sums) -> this.elsewhere.set(Map.copyOf(sums)));
		}

	}

}
