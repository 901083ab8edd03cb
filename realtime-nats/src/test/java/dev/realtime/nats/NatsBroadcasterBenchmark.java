package dev.realtime.nats;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.realtime.broadcast.Event;

/**
 * Three nodes on one NATS in this JVM: node a publishes at a fixed rate, nodes b and c
 * receive; prints throughput and cross-node latency percentiles. Not a test; run by hand
 * ({@code java -cp ... dev.realtime.nats.NatsBroadcasterBenchmark [events] [rate]}) against
 * {@code REALTIME_TEST_NATS_URL} (default nats://127.0.0.1:4222). Buckets are removed
 * afterwards.
 */
public final class NatsBroadcasterBenchmark {

	private static final String PAYLOAD = "{\"id\":123456,\"text\":\"" + "x".repeat(70) + "\"}";

	private NatsBroadcasterBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		String prefix = NatsTestServer.uniquePrefix();
		try (TestNode a = new TestNode(NatsTestServer.url(), prefix, "a", Duration.ofSeconds(15));
				TestNode b = new TestNode(NatsTestServer.url(), prefix, "b", Duration.ofSeconds(15));
				TestNode c = new TestNode(NatsTestServer.url(), prefix, "c", Duration.ofSeconds(15))) {
			long[] latencies = new long[events * 2];
			AtomicInteger received = new AtomicInteger();
			for (TestNode node : List.of(b, c)) {
				node.broadcaster.subscribe("bench", (event) -> {
					int index = received.getAndIncrement();
					if (index < latencies.length) {
						latencies[index] = System.nanoTime() - Long.parseLong(event.name().substring(2));
					}
				});
				node.broadcaster.acquire("bench").get(10, TimeUnit.SECONDS);
			}
			long period = TimeUnit.SECONDS.toNanos(1) / rate;
			long start = System.nanoTime();
			for (int i = 0; i < events; i++) {
				long due = start + i * period;
				while (System.nanoTime() < due) {
					LockSupport.parkNanos(Math.max(1, due - System.nanoTime()));
				}
				a.broadcaster.publish(new Event("bench", "e-" + System.nanoTime(), PAYLOAD));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (received.get() < events * 2 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			int got = Math.min(received.get(), latencies.length);
			long[] sorted = Arrays.copyOf(latencies, got);
			Arrays.sort(sorted);
			System.out.printf(Locale.ROOT, "nats, 3 nodes: %d events at %d/s, %d deliveries to 2 nodes in %.2f s, "
					+ "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; dropped %d%n", events, rate, got, seconds,
					percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0),
					a.broadcaster.remoteDropped() + b.broadcaster.dropped() + c.broadcaster.dropped());
		}
		finally {
			NatsTestServer.deleteBuckets(prefix);
		}
		System.exit(0);
	}

	private static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
	}

}
