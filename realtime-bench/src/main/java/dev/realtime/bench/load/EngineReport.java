package dev.realtime.bench.load;

import java.util.List;

/**
 * The engine benchmark's tables in Markdown ({@code engines.md} in the work directory, and
 * printed): per engine one node and three nodes side by side with the per-node ratio, every
 * round with the engine's cost per published event, and the {@code kill -9} results. Copied
 * into BENCHMARKS.md by hand ("Three nodes on each engine"), since the run is not part of
 * the default load run whose section {@code --out} rewrites.
 */
final class EngineReport {

	/** The per-node ratio a third node should keep at least (issue 12). */
	private static final double GOAL = 0.8;

	private EngineReport() {
	}

	static String render(List<EngineBenchmark.Result> results) {
		StringBuilder md = new StringBuilder();
		md.append("| engine | nodes | sustained deliveries/s | per node | per-node ratio (3 nodes / 3 vs 1 node) "
				+ "| p99 there (ms) | p99 at half that rate (ms) | nodes' CPU µs / delivery | engine CPU µs / event "
				+ "| engine commands / event (PUBLISH) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		for (EngineBenchmark.Result result : results) {
			String label = (result.engine != null) ? result.engine.label : result.server;
			if (result.notRun != null) {
				md.append("| ").append(label).append(" | | not run: ").append(result.notRun).append(" | | | | | | | |\n");
				continue;
			}
			summary(md, label, 1, result.one, result.engine, Double.NaN);
			double ratio = (best(result.one) > 0 && best(result.three) > 0) ? best(result.three) / 3 / best(result.one)
					: Double.NaN;
			summary(md, label, 3, result.three, result.engine, ratio);
		}
		md.append(String.format("%nPer-node ratio: the three nodes' sustained deliveries/s divided by 3, over one node's"
				+ " alone on the same engine in the same run (goal ≥ %.0f%%).%n%n", GOAL * 100));
		// The rates a busy machine disturbs; what a delivery costs it disturbs much less.
		md.append("CPU per delivery at the same rate: the nodes' µs per delivery of one node alone over three nodes'"
				+ " (100% = a third node costs nothing more per delivery), at the highest rate both ran without loss:\n\n");
		for (EngineBenchmark.Result result : results) {
			if (result.notRun == null) {
				md.append("- ").append(result.engine.label).append(": ").append(efficiency(result.one, result.three))
					.append(" (load average ").append(result.loadStart).append(" at the start, ")
					.append(result.loadEnd).append(" at the end)\n");
			}
		}
		md.append('\n');

		md.append("Every round (the ladder stops at the first round with loss, p99 > 100 ms or the publisher short of the rate;"
				+ " the last line of each is at half the best rate):\n\n");
		md.append("| engine | nodes | msg/s | deliveries/s | lost | p50 / p99 (ms) | nodes' CPU % | nodes' µs / delivery "
				+ "| engine CPU % | engine µs / event | commands / event | PUBLISH / event | |\n"
				+ "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		for (EngineBenchmark.Result result : results) {
			if (result.notRun == null) {
				rounds(md, result.engine, 1, result.one);
				rounds(md, result.engine, 3, result.three);
			}
		}

		md.append("\n`kill -9` of node 3 during a steady round (published to node 1; node TTL ")
			.append(EngineBenchmark.NODE_TTL.toMillis())
			.append(" ms, so a dead node's members should go within about 4/3 of it):\n\n");
		md.append("| engine | msg/s | killed node's presence members removed on node 1 | first / last member_removed after the kill (ms) "
				+ "| node 2's member kept | survivors' subscribers | expected | received | lost | dup | p99 (ms) |\n"
				+ "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
		for (EngineBenchmark.Result result : results) {
			NodeKill.Result kill = result.kill;
			if (kill == null) {
				continue;
			}
			Results.Round round = kill.survivors();
			md.append(String.format("| %s | %d | %d of %d | %.0f / %.0f | %s | %d (%d on node 3 not counted) | %d | %d | %d | %d | %.1f |%n",
					result.engine.label, round.messageRate(), kill.removed(), kill.members(), kill.firstRemovedMillis(),
					kill.lastRemovedMillis(), kill.survivorMemberKept() ? "yes" : "NO", kill.survivorSubscribers(),
					kill.killedSubscribers(), round.expected(), round.unique(), round.lost(), round.duplicates(),
					round.latency().p99()));
		}
		md.append('\n');
		for (EngineBenchmark.Result result : results) {
			if (result.restOne != null) {
				md.append("- ").append(result.engine.label).append(" at rest (nothing published, 5 s): ")
					.append(rest(result.engine, result.restOne)).append(" with node 1 up; ")
					.append((result.restThree != null) ? rest(result.engine, result.restThree) : "?")
					.append(" with three nodes up.\n");
			}
		}
		for (EngineBenchmark.Result result : results) {
			if (result.engine != null) {
				md.append("- ").append(result.engine.label).append(": engine measured as ").append(result.engine.measured)
					.append(result.engine.cpuMeasured() ? "" : " (its process was not found: no engine CPU)")
					.append(".\n");
			}
		}
		return md.toString();
	}

	private static String efficiency(Results.Ladder one, Results.Ladder three) {
		if (one == null || three == null) {
			return "n/a";
		}
		Results.Round best1 = null;
		Results.Round best3 = null;
		for (Results.Round a : one.rounds) {
			for (Results.Round b : three.rounds) {
				if (a.messageRate() == b.messageRate() && a.lost() == 0 && b.lost() == 0
						&& (best1 == null || a.messageRate() > best1.messageRate())) {
					best1 = a;
					best3 = b;
				}
			}
		}
		if (best1 == null) {
			return "no rate both ran without loss";
		}
		return String.format("%.0f%% at %d msg/s (%.2f vs %.2f µs)",
				best1.serverMicrosPerDelivery() * 100 / best3.serverMicrosPerDelivery(), best1.messageRate(),
				best1.serverMicrosPerDelivery(), best3.serverMicrosPerDelivery());
	}

	private static String rest(Engine engine, Engine.Use use) {
		String cpu = engine.cpuMeasured() ? String.format("CPU %.1f%%", use.cpuPercent()) : "CPU n/a";
		return (use.commands() < 0) ? cpu
				: String.format("%s, %.0f commands/s (%.0f PUBLISH/s)", cpu, use.commands() * 1000 / use.wallMillis(),
						use.publishes() * 1000 / use.wallMillis());
	}

	private static double best(Results.Ladder ladder) {
		return (ladder == null || ladder.best == null) ? 0 : ladder.best.deliveriesPerSecond();
	}

	private static void summary(StringBuilder md, String label, int nodes, Results.Ladder ladder, Engine engine,
			double ratio) {
		if (ladder == null) {
			return;
		}
		Results.Round best = ladder.best;
		if (best == null) {
			md.append(String.format("| %s | %d | none sustained (%s) | | | | | | | |%n", label, nodes,
					ladder.rounds.isEmpty() ? "no round" : ladder.rounds.get(0).failure()));
			return;
		}
		Engine.Use use = engine.use(best);
		md.append(String.format("| %s | %d | %,.0f | %,.0f | %s | %.1f | %s | %.2f | %s | %s |%n", label, nodes,
				best.deliveriesPerSecond(), best.deliveriesPerSecond() / nodes,
				Double.isNaN(ratio) ? "" : String.format("%.0f%%%s", ratio * 100, (ratio >= GOAL) ? "" : " (below goal)"),
				best.latency().p99(), (ladder.half == null) ? "" : String.format("%.1f", ladder.half.latency().p99()),
				best.serverMicrosPerDelivery(), engineMicros(engine, use, best), commands(use, best)));
	}

	private static void rounds(StringBuilder md, Engine engine, int nodes, Results.Ladder ladder) {
		if (ladder == null) {
			return;
		}
		List<Results.Round> all = new java.util.ArrayList<>(ladder.rounds);
		if (ladder.half != null) {
			all.add(ladder.half);
		}
		for (Results.Round round : all) {
			Engine.Use use = engine.use(round);
			md.append(String.format("| %s | %d | %d | %,.0f | %d | %.1f / %.1f | %.0f | %.2f | %s | %s | %s | %s | %s |%n",
					engine.label, nodes, round.messageRate(), round.deliveriesPerSecond(), round.lost(),
					round.latency().p50(), round.latency().p99(), round.serverCpu(), round.serverMicrosPerDelivery(),
					(use == null || !engine.cpuMeasured()) ? "" : String.format("%.0f", use.cpuPercent()),
					engineMicros(engine, use, round), perEvent(use, round, false), perEvent(use, round, true),
					(round == ladder.half) ? "half" : round.sustained() ? "sustained" : round.failure()));
		}
	}

	private static String engineMicros(Engine engine, Engine.Use use, Results.Round round) {
		if (use == null || !engine.cpuMeasured() || round.published().messages() == 0) {
			return "n/a";
		}
		return String.format("%.1f", use.cpuMillis() * 1000.0 / round.published().messages());
	}

	private static String commands(Engine.Use use, Results.Round round) {
		String total = perEvent(use, round, false);
		return total.equals("n/a") ? total : total + " (" + perEvent(use, round, true) + ")";
	}

	private static String perEvent(Engine.Use use, Results.Round round, boolean publishes) {
		if (use == null || use.commands() < 0 || round.published().messages() == 0) {
			return "n/a";
		}
		return String.format("%.2f", (publishes ? use.publishes() : use.commands()) / (double) round.published().messages());
	}

}
