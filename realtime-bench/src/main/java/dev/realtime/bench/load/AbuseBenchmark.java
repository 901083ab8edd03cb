package dev.realtime.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.realtime.bench.load.pusher.PusherProtocol;

/**
 * The abuse scenario: well-behaved subscribers on one channel receive a steady fan-out,
 * first alone, then while misbehaving clients ({@link Abusers}) flood the node with
 * connections, subscribes and pings, post oversized auth bodies and churn random channel
 * names. Reports what the good subscribers saw in each round (deliveries, loss, p50 and
 * p99), the node's heap after GC before and after, what the abusers achieved, and the
 * node's refusal counters. Loopback only, bounded in connections and time.
 * <p>
 * Options: {@code --transport=servlet|netty} (default servlet), {@code --subscribers=500},
 * {@code --rate=100} (messages per second to the channel), {@code --seconds=20} (each
 * round), {@code --flood-threads=4} (threads per kind of abuse),
 * {@code --nodes=1|2} (default 1; 2 starts two nodes sharing Redis, from {@code REDIS_URL} or
 * 127.0.0.1:6379, with half the good subscribers on each, publishes on the first and splits
 * the abusers' threads between both), {@code --realtime-jar=...}, {@code --work=dir}.
 */
public final class AbuseBenchmark {

	private static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");

	private static final int PORT = 21087;

	private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

	private AbuseBenchmark() {
	}

	/**
	 * Run the scenario and print the report.
	 * @param args the options (see the class description)
	 * @throws Exception if the run cannot start
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		boolean netty = "netty".equals(options.getOrDefault("transport", "servlet"));
		int nodes = Integer.parseInt(options.getOrDefault("nodes", "1"));
		if (nodes != 1 && nodes != 2) {
			throw new IllegalArgumentException("--nodes must be 1 or 2, not " + nodes);
		}
		int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "500"));
		int rate = Integer.parseInt(options.getOrDefault("rate", "100"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
		int floodThreads = Integer.parseInt(options.getOrDefault("flood-threads", "4"));
		Path work = Path.of(options.getOrDefault("work", "realtime-bench/target/abuse"));
		Files.createDirectories(work);
		Path jar = Path.of(options.getOrDefault("realtime-jar", "sample-app/target/sample-app-0.1.0-SNAPSHOT.jar"));
		Path javaHome = Path.of(System.getProperty("java.home"));
		String name = (netty ? "realtime-netty-abuse" : "realtime-abuse") + ((nodes == 2) ? "-redis" : "");
		List<ServerProcess> servers = new ArrayList<>();
		try (SubscriberPool pool = new SubscriberPool(1, false)) {
			List<String> redis = (nodes == 2) ? redisArgs() : List.of();
			// Spring Data Redis, without the other engines' jars the build copies beside it
			List<Path> redisLibs = (nodes == 2) ? EngineLibs.redis() : null;
			for (int node = 0; node < nodes; node++) {
				String nodeName = (nodes == 1) ? name : name + "-" + (node + 1);
				Path log = work.resolve(nodeName + ".log");
				List<String> nodeArgs = new ArrayList<>(serverArgs(netty, PORT + node));
				nodeArgs.addAll(redis);
				ServerProcess server = ServerProcess.java(nodeName, javaHome, jar, redisLibs, JVM_FLAGS, nodeArgs,
						PORT + node, log);
				servers.add(server);
				if (netty) {
					server.awaitPort(wsPort(netty, node), log);
				}
			}
			ServerProcess[] all = servers.toArray(ServerProcess[]::new);
			Scenarios scenarios = new Scenarios(Scenarios.Settings.quick(), List.of(), work);
			// published on the first node; with two, Redis carries it to the second
			Publisher publisher = new BenchEndpointPublisher("http://127.0.0.1:" + PORT);
			long[] heapEmpty = heaps(servers);
			for (int node = 0; node < nodes; node++) {
				Protocol protocol = new PusherProtocol("127.0.0.1", wsPort(netty, node), LoadBenchmark.REALTIME_KEY,
						LoadBenchmark.REALTIME_SECRET);
				int count = subscribers / nodes + ((node < subscribers % nodes) ? 1 : 0);
				pool.connect(protocol, Collections.nCopies(count, "bench-0"));
			}
			Thread.sleep(1500);
			publisher.publish(1, Math.max(50, rate), 3, 0);
			Thread.sleep(1000);
			long[] heapBefore = heaps(servers);
			Results.Round alone = scenarios.round(1, rate, publisher, all, pool, seconds);
			print("good subscribers alone", alone);

			// the abusers' threads split between the nodes
			int threadsPerNode = Math.max(1, floodThreads / nodes);
			List<Abusers> abusers = new ArrayList<>();
			for (int node = 0; node < nodes; node++) {
				Abusers nodeAbusers = new Abusers("127.0.0.1", wsPort(netty, node), PORT + node,
						LoadBenchmark.REALTIME_KEY);
				nodeAbusers.start(Duration.ofSeconds(seconds + 4L), threadsPerNode);
				abusers.add(nodeAbusers);
			}
			Thread.sleep(2000);
			Results.Round abused = scenarios.round(1, rate, publisher, all, pool, seconds);
			print("good subscribers under abuse", abused);
			for (Abusers nodeAbusers : abusers) {
				nodeAbusers.join();
			}
			long[] heapAfter = heaps(servers);
			Thread.sleep(3000);
			long[] heapSettled = heaps(servers);

			StringBuilder report = new StringBuilder();
			report.append("## Abuse (").append(netty ? "Netty" : "Servlet/Tomcat").append(" transport, ");
			if (nodes == 2) {
				report.append("2 nodes on Redis, half the subscribers on each, published on node 1, ");
			}
			report.append(subscribers).append(" good subscribers on one channel, ").append(rate).append(" msg/s, ")
				.append(seconds).append(" s per round, ").append(threadsPerNode).append(" threads per abuse")
				.append((nodes == 2) ? " per node" : "").append(")\n\n");
			report.append("| round | deliveries/s | expected | received | lost | p50 (ms) | p99 (ms) | max (ms) | server CPU % |\n");
			report.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			row(report, "alone", alone);
			row(report, "under abuse", abused);
			if (nodes == 2) {
				report.append("\nServer CPU is both nodes' (Redis's own is not counted).\n");
			}
			for (int node = 0; node < nodes; node++) {
				String label = (nodes == 1) ? "" : " (node " + (node + 1) + ")";
				report.append(String.format("%nHeap after GC%s: %.1f MB empty, %.1f MB with the subscribers, %.1f MB "
						+ "right after the abuse, %.1f MB 3 s later.%n", label, mb(heapEmpty[node]),
						mb(heapBefore[node]), mb(heapAfter[node]), mb(heapSettled[node])));
			}
			for (int node = 0; node < nodes; node++) {
				String label = (nodes == 1) ? "" : " of node " + (node + 1);
				report.append("\nAbusers").append(label).append(":\n\n```\n");
				for (Abusers.Kind kind : abusers.get(node).kinds()) {
					report.append(kind).append('\n');
				}
				report.append("```\n\nServer counters").append(label).append(" (actuator):\n\n```\n");
				for (String meter : List.of("realtime.connections", "realtime.connections.refused",
						"realtime.messages.rate.limited", "realtime.flood.disconnects", "realtime.errors",
						"realtime.messages.dropped")) {
					report.append(String.format("%-32s %s%n", meter, metric(PORT + node, meter)));
				}
				report.append("```\n");
			}
			Files.writeString(work.resolve(name + ".md"), report);
			System.out.println(report);
		}
		finally {
			for (ServerProcess server : servers) {
				server.close();
			}
		}
		System.exit(0);
	}

	/**
	 * Two nodes sharing Redis ({@code REDIS_URL}, else 127.0.0.1:6379) under a key prefix of
	 * their own, so a run never meets another run's (or a test's) keys.
	 */
	private static List<String> redisArgs() {
		String url = System.getenv("REDIS_URL");
		List<String> args = new ArrayList<>(List.of("--realtime.broadcaster=redis",
				"--realtime.redis.key-prefix=bench-abuse-" + ProcessHandle.current().pid() + "-"
						+ System.currentTimeMillis()));
		if (url != null && !url.isBlank()) {
			args.add("--spring.data.redis.url=" + url);
		}
		else {
			args.addAll(List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=6379"));
		}
		return args;
	}

	private static int wsPort(boolean netty, int node) {
		return PORT + node + (netty ? 100 : 0);
	}

	private static long[] heaps(List<ServerProcess> servers) throws Exception {
		long[] heaps = new long[servers.size()];
		for (int i = 0; i < heaps.length; i++) {
			heaps[i] = servers.get(i).heapAfterGc();
		}
		return heaps;
	}

	private static List<String> serverArgs(boolean netty, int port) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--server.tomcat.max-connections=3000", "--spring.main.banner-mode=off", "--sample.bench.enabled=true",
				// The good subscribers come from 127.0.0.2-9 (about 60 each), the abusers from 127.0.1.x.
				"--realtime.limits.max-connections=2500", "--realtime.limits.max-connections-per-ip=200",
				"--realtime.limits.connect-rate-per-ip=100"));
		if (netty) {
			args.addAll(List.of("--realtime.transport=netty", "--realtime.netty.address=127.0.0.1",
					"--realtime.netty.port=" + (port + 100)));
		}
		return args;
	}

	private static void print(String label, Results.Round round) {
		System.out.printf("  %-30s %8.0f deliveries/s, lost %d of %d, p50 %.2f p99 %.2f max %.1f ms%n", label,
				round.deliveriesPerSecond(), round.expected() - round.unique(), round.expected(),
				round.latency().p50(), round.latency().p99(), round.latency().max());
	}

	private static void row(StringBuilder report, String label, Results.Round round) {
		report.append(String.format("| %s | %.0f | %d | %d | %d | %.2f | %.2f | %.1f | %.0f |%n", label,
				round.deliveriesPerSecond(), round.expected(), round.unique(), round.expected() - round.unique(),
				round.latency().p50(), round.latency().p99(), round.latency().max(), round.serverCpu()));
	}

	private static double mb(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	/** A meter's values from the sample app's actuator, all its measurements summed over tags. */
	private static String metric(int port, String name) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return "HTTP " + response.statusCode();
			}
			Matcher matcher = VALUE.matcher(response.body());
			return matcher.find() ? matcher.group(1) : response.body();
		}
		catch (Exception ex) {
			return "unavailable: " + ex;
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unknown argument " + arg);
			}
			int eq = arg.indexOf('=');
			options.put((eq < 0) ? arg.substring(2) : arg.substring(2, eq), (eq < 0) ? "" : arg.substring(eq + 1));
		}
		return options;
	}

}
