package dev.realtime.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Cross-node delivery through Redis against the in-memory broadcaster on the same
 * machine: throughput, latency, and Redis commands per published event. Not a test; run
 * by hand (see BENCHMARKS.md). Uses the Redis at {@code REDIS_URL}, else an embedded one
 * of its own so other users of a shared Redis do not disturb the command counts.
 */
public final class RedisBroadcasterBenchmark {

	private static final String PAYLOAD = "{\"id\":123456,\"text\":\"" + "x".repeat(70) + "\"}";

	private RedisBroadcasterBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		String uri = (System.getenv("REDIS_URL") != null) ? System.getenv("REDIS_URL") : embedded();
		System.out.println("Redis: " + uri + ", payload " + PAYLOAD.length() + " bytes, "
				+ Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.version"));
		try (MemoryBroadcaster memory = new MemoryBroadcaster(RedisClusterConfig.DEFAULT_BUFFER_SIZE, null)) {
			run("memory", memory, memory, events, rate, null);
		}
		String prefix = "rt-bench-" + System.nanoTime();
		RedisClient admin = RedisClient.create(uri);
		try (StatefulRedisConnection<String, String> stats = admin.connect();
				Node a = new Node(uri, prefix, "a");
				Node b = new Node(uri, prefix, "b")) {
			b.broadcaster.acquire("bench").get(5, TimeUnit.SECONDS);
			run("redis (warm-up)", a.broadcaster, b.broadcaster, events / 4, rate, null);
			run("redis", a.broadcaster, b.broadcaster, events, rate, stats);
			System.out.println("  node a: " + a.broadcaster.health());
			System.out.println("  node b: " + b.broadcaster.health());
		}
		finally {
			admin.shutdown();
		}
		System.exit(0);
	}

	private static void run(String name, Broadcaster publisher, Broadcaster receiver, int events, int rate,
			StatefulRedisConnection<String, String> stats) throws InterruptedException {
		// Throughput: publish as fast as the receiver keeps up with (no drops), until all arrive.
		AtomicInteger received = new AtomicInteger();
		long[] latencies = new long[Math.max(1, rate * 5)];
		AtomicInteger sampled = new AtomicInteger();
		boolean[] measuringLatency = { false };
		Consumer<Event> handler = (event) -> {
			received.incrementAndGet();
			if (measuringLatency[0]) {
				long sent = Long.parseLong(event.name());
				int index = sampled.getAndIncrement();
				if (index < latencies.length) {
					latencies[index] = System.nanoTime() - sent;
				}
			}
		};
		var subscription = receiver.subscribeAll(handler);
		long commandsBefore = (stats != null) ? totalCommands(stats) : 0;
		long publishesBefore = (stats != null) ? publishCalls(stats) : 0;
		long started = System.nanoTime();
		for (int i = 0; i < events; i++) {
			while (i - received.get() > 8_192) {
				LockSupport.parkNanos(20_000);
			}
			publisher.publish(new Event("bench", "e", PAYLOAD));
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (received.get() < events && System.nanoTime() < deadline) {
			LockSupport.parkNanos(100_000);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long commands = (stats != null) ? totalCommands(stats) - commandsBefore : 0;
		long publishes = (stats != null) ? publishCalls(stats) - publishesBefore : 0;
		System.out.printf(Locale.ROOT, "%s: throughput %,.0f events/s (%,d of %,d received, %.2f s)%n", name,
				received.get() / seconds, received.get(), events, seconds);
		if (stats != null) {
			System.out.printf(Locale.ROOT, "  Redis commands per event: %.3f PUBLISH, %.3f all commands%n",
					(double) publishes / events, (double) commands / events);
		}
		// Latency: a steady rate well below saturation, publish-to-handler time.
		received.set(0);
		measuringLatency[0] = true;
		int total = rate * 5;
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		long next = System.nanoTime();
		for (int i = 0; i < total; i++) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				// Coarse pacing (parkNanos sleeps ~50-100 µs): bursts of a few events, not spinning a core.
				LockSupport.parkNanos(wait);
			}
			publisher.publish(new Event("bench", Long.toString(System.nanoTime()), PAYLOAD));
			next += interval;
		}
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (received.get() < total && System.nanoTime() < deadline) {
			LockSupport.parkNanos(100_000);
		}
		measuringLatency[0] = false;
		subscription.cancel();
		int count = Math.min(sampled.get(), latencies.length);
		long[] sorted = Arrays.copyOf(latencies, count);
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT,
				"  latency at %,d events/s (%,d samples): p50 %s, p99 %s, p99.9 %s, max %s%n", rate, count,
				micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 0.999), micros(sorted, 1.0));
	}

	private static String micros(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return "n/a";
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return String.format(Locale.ROOT, "%.0f µs", sorted[Math.max(0, index)] / 1e3);
	}

	private static long totalCommands(StatefulRedisConnection<String, String> stats) {
		return infoValue(stats.sync().info("stats"), "total_commands_processed:");
	}

	private static long publishCalls(StatefulRedisConnection<String, String> stats) {
		String info = stats.sync().info("commandstats");
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("cmdstat_publish:")) {
				return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
			}
		}
		return 0;
	}

	private static long infoValue(String info, String key) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(key)) {
				return Long.parseLong(line.substring(key.length()).trim());
			}
		}
		return 0;
	}

	private static String embedded() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		redis.embedded.RedisServer server = new redis.embedded.RedisServer(port);
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.stop();
			}
			catch (java.io.IOException ex) {
				// Exiting anyway.
			}
		}));
		return "redis://127.0.0.1:" + port;
	}

	private static final class Node implements AutoCloseable {

		final RedisConnections connections;

		final RedisBroadcaster broadcaster;

		Node(String uri, String prefix, String name) {
			RedisClusterConfig config = RedisClusterConfig.builder().keyPrefix(prefix).nodeId(name)
				.nodeTtl(Duration.ofSeconds(15)).build();
			this.connections = new RedisConnections(RedisURI.create(uri), config);
			this.broadcaster = new RedisBroadcaster(this.connections);
			this.connections.start();
		}

		@Override
		public void close() {
			this.broadcaster.close();
			this.connections.close();
		}

	}

}
