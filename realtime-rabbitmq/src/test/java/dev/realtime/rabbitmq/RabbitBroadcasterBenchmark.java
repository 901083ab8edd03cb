package dev.realtime.rabbitmq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.realtime.broadcast.Event;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Three nodes on one RabbitMQ in this JVM: node a publishes at a fixed rate, nodes b and
 * c receive; prints throughput and cross-node latency percentiles. Not a test; run by hand
 * ({@code java -cp ... dev.realtime.rabbitmq.RabbitBroadcasterBenchmark [events] [rate]})
 * against the broker at 127.0.0.1:5672 (guest/guest). Its exchange and queues are removed
 * afterwards.
 */
public final class RabbitBroadcasterBenchmark {

	private static final String PAYLOAD = "{\"id\":123456,\"text\":\"" + "x".repeat(70) + "\"}";

	private RabbitBroadcasterBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		String exchange = "rt-bench-" + UUID.randomUUID().toString().substring(0, 8);
		List<CachingConnectionFactory> factories = new ArrayList<>();
		List<RabbitBroadcaster> nodes = new ArrayList<>();
		try {
			for (String name : List.of("a", "b", "c")) {
				CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
				factory.setUsername("guest");
				factory.setPassword("guest");
				factories.add(factory);
				RabbitBroadcaster node = new RabbitBroadcaster(factory,
						RabbitEngineConfig.builder().exchange(exchange).nodeId(name).build(), null);
				node.start();
				nodes.add(node);
			}
			long[] latencies = new long[events * 2];
			AtomicInteger received = new AtomicInteger();
			for (RabbitBroadcaster node : nodes.subList(1, 3)) {
				node.subscribe("bench", (event) -> {
					int index = received.getAndIncrement();
					if (index < latencies.length) {
						latencies[index] = System.nanoTime() - Long.parseLong(event.name().substring(2));
					}
				});
				long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
				while (!(node.isBound("bench") && node.health().up()) && System.nanoTime() < bound) {
					Thread.sleep(20);
				}
			}
			RabbitBroadcaster publisher = nodes.get(0);
			long period = TimeUnit.SECONDS.toNanos(1) / rate;
			long start = System.nanoTime();
			for (int i = 0; i < events; i++) {
				long due = start + i * period;
				while (System.nanoTime() < due) {
					LockSupport.parkNanos(Math.max(1, due - System.nanoTime()));
				}
				publisher.publish(new Event("bench", "e-" + System.nanoTime(), PAYLOAD));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (received.get() < events * 2 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			int got = Math.min(received.get(), latencies.length);
			long[] sorted = Arrays.copyOf(latencies, got);
			Arrays.sort(sorted);
			System.out.printf(Locale.ROOT, "rabbitmq, 3 nodes: %d events at %d/s, %d deliveries to 2 nodes in %.2f s, "
					+ "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; dropped %d%n", events, rate, got, seconds,
					percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0),
					publisher.remoteDropped());
		}
		finally {
			nodes.forEach(RabbitBroadcaster::close);
			if (factories.isEmpty()) {
				return;
			}
			RabbitAdmin admin = new RabbitAdmin(factories.get(0));
			for (String name : List.of("a", "b", "c")) {
				admin.deleteQueue(exchange + ".node." + name);
			}
			admin.deleteExchange(exchange);
			factories.forEach(CachingConnectionFactory::destroy);
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
