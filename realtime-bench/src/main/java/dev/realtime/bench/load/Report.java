package dev.realtime.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/**
 * Renders the results as Markdown tables and puts them into BENCHMARKS.md between the
 * markers {@code <!-- load-results:begin -->} and {@code <!-- load-results:end -->}
 * (appending a section "Load: realtime vs STOMP vs nchan" when they are missing).
 */
final class Report {

	static final String BEGIN = "<!-- load-results:begin -->";

	static final String END = "<!-- load-results:end -->";

	private final String command;

	private final List<String> jvmFlags;

	private final boolean quick;

	private final Scenarios.Settings settings;

	private final String startLoad = loadAverage();

	private final Instant started = Instant.now();

	Report(String command, List<String> jvmFlags, boolean quick, Scenarios.Settings settings) {
		this.command = command;
		this.jvmFlags = jvmFlags;
		this.quick = quick;
		this.settings = settings;
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " "
					+ Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1] + " "
					+ Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	String render(List<Results.Server> servers) {
		StringBuilder md = new StringBuilder();
		md.append(BEGIN).append("\n\n");
		md.append("Run ").append(this.started.truncatedTo(ChronoUnit.SECONDS)).append(this.quick ? " (QUICK mode: small sizes, not comparable)" : "")
			.append(": `").append(this.command).append("`  \n");
		md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(cpuModel()).append(", ").append(memTotal()).append("; load average at start ")
			.append(this.startLoad).append(", at end ").append(loadAverage()).append("  \n");
		md.append("JVM: ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.runtime.version")).append(" for the generator and both Spring servers; server flags `")
			.append(String.join(" ", this.jvmFlags)).append("`; nchan: ").append(nginxVersion()).append("  \n");
		md.append("The generator (one Netty event loop thread, plus the publisher for nchan) and the server share the same ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores: the CPU columns are percent of one core (200% = both cores busy).\n\n");

		md.append("### Summary\n\n");
		md.append("| | realtime (Tomcat) | realtime (Netty) | STOMP | nchan | Tomcat / STOMP | Netty / STOMP | Netty / nchan |\n"
				+ "|---|---:|---:|---:|---:|---:|---:|---:|\n");
		Results.Server realtime = find(servers, "realtime");
		Results.Server netty = find(servers, "realtime-netty");
		Results.Server stomp = find(servers, "stomp");
		Results.Server nchan = find(servers, "nchan");
		summaryRow(md, "Sustained fan-out, 1 channel x " + this.settings.fanoutSubscribers() + " (deliveries/s)",
				realtime, netty, stomp, nchan, (s) -> best(s.fanout), true);
		summaryRow(md, "Server CPU per delivery in that round (µs)", realtime, netty, stomp, nchan,
				(s) -> (s.fanout == null || s.fanout.best == null) ? null : s.fanout.best.serverMicrosPerDelivery(), false);
		summaryRow(md, "p99 at half that rate (ms)", realtime, netty, stomp, nchan,
				(s) -> (s.fanout == null || s.fanout.half == null) ? null : s.fanout.half.latency().p99(), false);
		summaryRow(md, "Sustained, " + this.settings.idleChannels() + " channels x "
				+ (this.settings.idleConnections() / this.settings.idleChannels()) + ", in-process publisher (deliveries/s)", realtime, netty, stomp,
				nchan, (s) -> best(s.channels), true);
		summaryRow(md, "Sustained, " + this.settings.idleChannels() + " channels x "
				+ (this.settings.idleConnections() / this.settings.idleChannels())
				+ ", signed HTTP API from the generator (deliveries/s)", realtime, netty, stomp, nchan,
				(s) -> best(s.httpChannels), true);
		summaryRow(md, "Server CPU per delivery in that HTTP API round (µs)", realtime, netty, stomp, nchan,
				(s) -> (s.httpChannels == null || s.httpChannels.best == null) ? null
						: s.httpChannels.best.serverMicrosPerDelivery(), false);
		summaryRow(md, "Heap per idle connection after GC (KB)", realtime, netty, stomp, nchan,
				(s) -> (s.idle == null || s.idle.heapPerConnection() < 0) ? null : s.idle.heapPerConnection() / 1024.0,
				false);
		summaryRow(md, "RSS per idle connection (KB)", realtime, netty, stomp, nchan,
				(s) -> (s.idle == null) ? null : s.idle.rssPerConnection() / 1024.0, false);
		summaryRow(md, "Connect " + this.settings.idleConnections() + " (s)", realtime, netty, stomp, nchan,
				(s) -> (s.idle == null) ? null : s.idle.connectSeconds(), false);
		summaryRow(md, "Churn: join p99 (ms)", realtime, netty, stomp, nchan,
				(s) -> (s.churn == null) ? null : s.churn.join().p99(), false);
		summaryRow(md, "Churn: broadcast p99 (ms)", realtime, netty, stomp, nchan,
				(s) -> (s.churn == null) ? null : s.churn.broadcast().latency().p99(), false);
		summaryRow(md, "Churn: broadcast lost", realtime, netty, stomp, nchan,
				(s) -> (s.churn == null) ? null : (double) s.churn.broadcast().lost(), false);
		md.append("\nRatios are realtime (on the transport named) divided by the baseline (higher is better for deliveries/s, lower for ms and KB).\n");
		for (String name : List.of("realtime x2 (Redis)", "realtime-netty x2 (Redis)")) {
			Results.Server redis = find(servers, name);
			if (redis != null && redis.redis != null && redis.redis.best != null) {
				md.append(String.format("%s, half the subscribers on each node: %,.0f deliveries/s sustained, p99 %.1f ms at half that rate.%n",
						name, redis.redis.best.deliveriesPerSecond(),
						(redis.redis.half != null) ? redis.redis.half.latency().p99() : Double.NaN));
			}
		}
		md.append('\n');

		ladders(md, "Fan-out: 1 channel x " + this.settings.fanoutSubscribers()
				+ " subscribers, rising rate until p99 > 100 ms or any loss", servers, (s) -> s.fanout);
		md.append("### Idle connections\n\n");
		md.append("| server | connections | connect all (s) | connect p50 (ms) | connect p99 (ms) | heap / conn (KB) | RSS / conn (KB) |\n|---|---:|---:|---:|---:|---:|---:|\n");
		for (Results.Server s : servers) {
			if (s.idle != null) {
				md.append(String.format("| %s | %d | %.1f | %.1f | %.1f | %s | %.1f |%n", s.name, s.idle.connections(),
						s.idle.connectSeconds(), s.idle.connectP50(), s.idle.connectP99(),
						(s.idle.heapPerConnection() < 0) ? "n/a" : String.format("%.1f", s.idle.heapPerConnection() / 1024.0),
						s.idle.rssPerConnection() / 1024.0));
			}
		}
		md.append('\n');
		ladders(md, this.settings.idleChannels() + " channels x "
				+ (this.settings.idleConnections() / this.settings.idleChannels()) + " subscribers (the idle connections), rising rate",
				servers, (s) -> s.channels);
		ladders(md, this.settings.idleChannels() + " channels x "
				+ (this.settings.idleConnections() / this.settings.idleChannels())
				+ " subscribers, each event one keep-alive HTTP request from the generator (realtime: signed `POST /apps/{id}/events` as the Pusher SDKs send it; nchan: `POST /pub/{channel}`), rising rate",
				servers, (s) -> s.httpChannels);
		md.append("### Churn: ").append(this.settings.churnJoinsPerSecond())
			.append(" joins/s (each leaves after 1 s) while broadcasting ").append(this.settings.churnMessageRate())
			.append(" msg/s to ").append(this.settings.churnSubscribers()).append(" subscribers\n\n");
		md.append("Every server: joins to a plain channel/topic. \"realtime (presence)\": the same churn on a presence channel, each join signed and announced with member_added (and each leave with member_removed) to every member, and answered with the whole roster.\n\n");
		md.append("| server | joins | failed | join p50 (ms) | join p99 (ms) | broadcast deliveries/s | lost | reordered | broadcast p99 (ms) | gen CPU | server CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Results.Server s : servers) {
			churnRow(md, s.name, s.churn);
			churnRow(md, s.name + " (presence)", s.presenceChurn);
		}
		md.append('\n');
		if (servers.stream().anyMatch((s) -> s.presenceJoins != null)) {
			md.append("### Presence joins at a rising rate (each leaves after 1 s) while broadcasting ")
				.append(this.settings.churnMessageRate()).append(" msg/s to ").append(this.settings.churnSubscribers())
				.append(" subscribers; sustained: no failed join, join p99 <= 100 ms, nothing lost\n\n");
			md.append("| server | joins/s asked | joins | failed | join p50 (ms) | join p99 (ms) | broadcast deliveries/s | lost | reordered | broadcast p99 (ms) | gen CPU | server CPU | |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
			for (Results.Server s : servers) {
				if (s.presenceJoins != null) {
					for (Results.Churn round : s.presenceJoins) {
						churnRow(md, s.name + " | " + round.joinsPerSecond(), round);
						// churnRow ends the row: mark it sustained or not in the extra column
						md.setLength(md.length() - 1);
						md.append(round.sustained() ? " ok |\n" : " not sustained |\n");
					}
				}
			}
			md.append('\n');
		}
		ladders(md, "Two realtime nodes through Redis: 1 channel x " + this.settings.fanoutSubscribers()
				+ " subscribers (half on each node), published on node 1", servers, (s) -> s.redis);
		for (Results.Server s : servers) {
			for (String note : s.notes) {
				md.append("- ").append(s.name).append(": ").append(note).append('\n');
			}
		}
		md.append('\n').append(END).append('\n');
		return md.toString();
	}

	private static void churnRow(StringBuilder md, String name, Results.Churn churn) {
		if (churn == null) {
			return;
		}
		Results.Round b = churn.broadcast();
		md.append(String.format("| %s | %d | %d | %.1f | %.1f | %.0f | %d | %d | %.1f | %.0f%% | %.0f%% |%n", name,
				churn.joins(), churn.failedJoins(), churn.join().p50(), churn.join().p99(), b.deliveriesPerSecond(),
				b.lost(), b.reordered(), b.latency().p99(), b.generatorCpu(), b.serverCpu()));
	}

	private static Double best(Results.Ladder ladder) {
		return (ladder == null || ladder.best == null) ? null : ladder.best.deliveriesPerSecond();
	}

	private static void summaryRow(StringBuilder md, String label, Results.Server realtime, Results.Server netty,
			Results.Server stomp, Results.Server nchan, Function<Results.Server, Double> value, boolean higherIsBetter) {
		Double r = (realtime == null) ? null : value.apply(realtime);
		Double t = (netty == null) ? null : value.apply(netty);
		Double s = (stomp == null) ? null : value.apply(stomp);
		Double n = (nchan == null) ? null : value.apply(nchan);
		md.append("| ").append(label).append(" | ").append(format(r)).append(" | ").append(format(t)).append(" | ")
			.append(format(s)).append(" | ").append(format(n)).append(" | ").append(ratio(r, s)).append(" | ")
			.append(ratio(t, s)).append(" | ").append(ratio(t, n)).append(" |\n");
	}

	private static String format(Double value) {
		if (value == null) {
			return "-";
		}
		return (value >= 1000) ? String.format("%,.0f", value) : String.format("%.1f", value);
	}

	private static String ratio(Double a, Double b) {
		return (a == null || b == null || b == 0) ? "-" : String.format("%.2fx", a / b);
	}

	private static void ladders(StringBuilder md, String title, List<Results.Server> servers,
			Function<Results.Server, Results.Ladder> ladderOf) {
		boolean any = servers.stream().anyMatch((s) -> ladderOf.apply(s) != null);
		if (!any) {
			return;
		}
		md.append("### ").append(title).append("\n\n");
		md.append("| server | msg/s | deliveries/s | expected | lost | dup | reordered | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | gen CPU | server CPU | server µs CPU / delivery | wire B / delivery | |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		for (Results.Server s : servers) {
			Results.Ladder ladder = ladderOf.apply(s);
			if (ladder == null) {
				continue;
			}
			for (Results.Round round : ladder.rounds) {
				row(md, s.name, round, round.sustained() ? ((round == ladder.best) ? "**best sustained**" : "ok")
						: round.failure());
			}
			if (ladder.half != null) {
				row(md, s.name, ladder.half, "half of best" + (ladder.half.sustained() ? "" : ": " + ladder.half.failure()));
			}
		}
		md.append('\n');
		for (Results.Server s : servers) {
			Results.Ladder ladder = ladderOf.apply(s);
			if (ladder != null && ladder.connect != null) {
				md.append("- ").append(s.name).append(" connected ").append(ladder.connect).append('\n');
			}
		}
		md.append('\n');
	}

	private static void row(StringBuilder md, String server, Results.Round r, String verdict) {
		md.append(String.format("| %s | %d | %,.0f | %,d | %d | %d | %d | %.2f | %.2f | %.2f | %.1f | %.0f%% | %.0f%% | %.1f | %.0f | %s |%n",
				server, r.messageRate(), r.deliveriesPerSecond(), r.expected(), r.lost(), r.duplicates(), r.reordered(),
				r.latency().p50(), r.latency().p99(), r.latency().p999(), r.latency().max(), r.generatorCpu(),
				r.serverCpu(), r.serverMicrosPerDelivery(), r.wireBytesPerDelivery(), verdict));
	}

	private static Results.Server find(List<Results.Server> servers, String name) {
		return servers.stream().filter((s) -> s.name.equals(name)).findFirst().orElse(null);
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.findFirst()
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String memTotal() {
		try {
			String line = Files.readAllLines(Path.of("/proc/meminfo")).get(0);
			return (Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024) + " GiB RAM";
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String nginxVersion() {
		try {
			Process process = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
			String version = new String(process.getInputStream().readAllBytes()).trim();
			process.waitFor();
			return version.replace("nginx version: ", "") + " + libnginx-mod-nchan 1.3.6";
		}
		catch (Exception ex) {
			return "?";
		}
	}

	void writeInto(Path file, String results) throws IOException {
		String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
		int begin = text.indexOf(BEGIN);
		int end = text.indexOf(END);
		if (begin >= 0 && end > begin) {
			text = text.substring(0, begin) + results.strip() + text.substring(end + END.length());
		}
		else {
			text = text.stripTrailing() + "\n\n## Load: realtime vs STOMP vs nchan\n\n"
					+ "How to run and what is measured: realtime-bench/README-load.md.\n\n" + results;
		}
		Files.writeString(file, text);
	}

}
