package dev.realtime.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code --realtime-jar=...}, {@code --work=dir}.
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
		int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "500"));
		int rate = Integer.parseInt(options.getOrDefault("rate", "100"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
		int floodThreads = Integer.parseInt(options.getOrDefault("flood-threads", "4"));
		Path work = Path.of(options.getOrDefault("work", "realtime-bench/target/abuse"));
		Files.createDirectories(work);
		Path jar = Path.of(options.getOrDefault("realtime-jar", "sample-app/target/sample-app-0.1.0-SNAPSHOT.jar"));
		Path javaHome = Path.of(System.getProperty("java.home"));
		String name = netty ? "realtime-netty-abuse" : "realtime-abuse";
		Path log = work.resolve(name + ".log");
		try (ServerProcess server = ServerProcess.java(name, javaHome, jar, JVM_FLAGS, serverArgs(netty), PORT, log);
				SubscriberPool pool = new SubscriberPool(1, false)) {
			int wsPort = PORT;
			if (netty) {
				wsPort = PORT + 100;
				server.awaitPort(wsPort, log);
			}
			ServerProcess[] servers = { server };
			Scenarios scenarios = new Scenarios(Scenarios.Settings.quick(), List.of(), work);
			Publisher publisher = new BenchEndpointPublisher("http://127.0.0.1:" + PORT);
			Protocol protocol = new PusherProtocol("127.0.0.1", wsPort, LoadBenchmark.REALTIME_KEY,
					LoadBenchmark.REALTIME_SECRET);
			long heapEmpty = server.heapAfterGc();
			List<String> channels = new ArrayList<>();
			for (int i = 0; i < subscribers; i++) {
				channels.add("bench-0");
			}
			pool.connect(protocol, channels);
			Thread.sleep(1500);
			publisher.publish(1, Math.max(50, rate), 3, 0);
			Thread.sleep(1000);
			long heapBefore = server.heapAfterGc();
			Results.Round alone = scenarios.round(1, rate, publisher, servers, pool, seconds);
			print("good subscribers alone", alone);

			Abusers abusers = new Abusers("127.0.0.1", wsPort, PORT, LoadBenchmark.REALTIME_KEY);
			abusers.start(Duration.ofSeconds(seconds + 4L), floodThreads);
			Thread.sleep(2000);
			Results.Round abused = scenarios.round(1, rate, publisher, servers, pool, seconds);
			print("good subscribers under abuse", abused);
			abusers.join();
			long heapAfter = server.heapAfterGc();
			Thread.sleep(3000);
			long heapSettled = server.heapAfterGc();

			StringBuilder report = new StringBuilder();
			report.append("## Abuse (").append(netty ? "Netty" : "Servlet/Tomcat").append(" transport, ")
				.append(subscribers).append(" good subscribers on one channel, ").append(rate).append(" msg/s, ")
				.append(seconds).append(" s per round, ").append(floodThreads).append(" threads per abuse)\n\n");
			report.append("| round | deliveries/s | expected | received | lost | p50 (ms) | p99 (ms) | max (ms) | server CPU % |\n");
			report.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			row(report, "alone", alone);
			row(report, "under abuse", abused);
			report.append(String.format("%nHeap after GC: %.1f MB empty, %.1f MB with the subscribers, %.1f MB right "
					+ "after the abuse, %.1f MB 3 s later.%n%n", mb(heapEmpty), mb(heapBefore), mb(heapAfter),
					mb(heapSettled)));
			report.append("Abusers:\n\n```\n");
			for (Abusers.Kind kind : abusers.kinds()) {
				report.append(kind).append('\n');
			}
			report.append("```\n\nServer counters (actuator):\n\n```\n");
			for (String meter : List.of("realtime.connections", "realtime.connections.refused",
					"realtime.messages.rate.limited", "realtime.flood.disconnects", "realtime.errors",
					"realtime.messages.dropped")) {
				report.append(String.format("%-32s %s%n", meter, metric(meter)));
			}
			report.append("```\n");
			Files.writeString(work.resolve(name + ".md"), report);
			System.out.println(report);
		}
		System.exit(0);
	}

	private static List<String> serverArgs(boolean netty) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + PORT, "--server.address=127.0.0.1",
				"--server.tomcat.max-connections=3000", "--spring.main.banner-mode=off", "--sample.bench.enabled=true",
				// The good subscribers come from 127.0.0.2-9 (about 60 each), the abusers from 127.0.1.x.
				"--realtime.limits.max-connections=2500", "--realtime.limits.max-connections-per-ip=200",
				"--realtime.limits.connect-rate-per-ip=100"));
		if (netty) {
			args.addAll(List.of("--realtime.transport=netty", "--realtime.netty.address=127.0.0.1",
					"--realtime.netty.port=" + (PORT + 100)));
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
	private static String metric(String name) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/metrics/" + name))
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
