package dev.realtime.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Three realtime nodes (separate JVMs of the sample app, Netty transport) on one engine,
 * next to one node alone on the same engine in the same run: the fan-out search (one
 * channel, the subscribers spread evenly over the nodes, published in process on the first
 * node), with the engine's CPU and commands per published event in each round; then a
 * {@code kill -9} of the third node ({@link NodeKill}). Servers {@code cluster-redis},
 * {@code cluster-nats}, {@code cluster-rabbitmq} and {@code cluster-redis-cluster}
 * ({@code engines}: all four); not in the default run.
 */
final class EngineBenchmark {

	/** The server names, as given to {@code --servers=}. */
	static final List<String> SERVERS = List.of("cluster-redis", "cluster-nats", "cluster-rabbitmq",
			"cluster-redis-cluster");

	/** Node i listens on FIRST_PORT + i (HTTP) and 100 above (WebSocket, Netty). */
	private static final int FIRST_PORT = 21091;

	/**
	 * A short node TTL, so that a killed node's members go within seconds (about 4/3 of it)
	 * rather than the default 15 s; heartbeats go every third of it.
	 */
	static final Duration NODE_TTL = Duration.ofSeconds(3);

	/**
	 * Warm-up before each search, longer than the other scenarios' 3 s: nodes 2 and 3 start
	 * cold beside a node 1 that ran the one-node search, and their first rounds measured
	 * their JIT more than the engine.
	 */
	private static final int WARM_UP_SECONDS = 10;

	private static final long REST_MILLIS = 5000;

	/** Keys, subjects, buckets and the exchange of this benchmark, apart from anything else on the servers. */
	private static final String PREFIX = "bench-engines";

	private EngineBenchmark() {
	}

	/** What one engine measured. */
	static final class Result {

		final String server;

		Engine engine;

		Results.Ladder one;

		Results.Ladder three;

		NodeKill.Result kill;

		/** The engine with one node up and with three, nothing published (5 s each). */
		Engine.Use restOne;

		Engine.Use restThree;

		/** The machine's load average when the engine started and ended (others' work shows here). */
		String loadStart;

		String loadEnd;

		/** Why it did not run (a node refused to start), or {@code null}. */
		String notRun;

		Result(String server) {
			this.server = server;
		}

	}

	static Result run(String server, Scenarios scenarios, Path javaHome, Path jar, Path work) throws Exception {
		Result result = new Result(server);
		result.loadStart = Report.loadAverage();
		String ttl = NODE_TTL.toMillis() + "ms";
		RedisCluster cluster = null;
		try {
			result.engine = switch (server) {
				case "cluster-redis" -> Engine.redis(PREFIX, ttl);
				case "cluster-nats" -> Engine.nats(PREFIX, ttl);
				case "cluster-rabbitmq" -> Engine.rabbitmq(PREFIX, ttl);
				case "cluster-redis-cluster" -> {
					cluster = RedisCluster.start(work.resolve("redis-cluster"));
					yield Engine.redisCluster(cluster, PREFIX, ttl);
				}
				default -> throw new IllegalArgumentException("unknown server " + server);
			};
			measure(result, scenarios, javaHome, jar, work);
		}
		finally {
			scenarios.watch(null);
			if (cluster != null) {
				cluster.close();
			}
			result.loadEnd = Report.loadAverage();
		}
		return result;
	}

	private static void measure(Result result, Scenarios scenarios, Path javaHome, Path jar, Path work)
			throws Exception {
		Engine engine = result.engine;
		ServerProcess[] nodes = new ServerProcess[3];
		Protocol[] protocols = new Protocol[3];
		try {
			try {
				start(0, result.server, engine, javaHome, jar, work, nodes, protocols);
			}
			catch (IllegalStateException ex) {
				// e.g. a server build that refuses Redis Cluster at startup
				result.notRun = "node 1 did not start: " + lastLine(ex.getMessage());
				return;
			}
			Publisher publisher = new BenchEndpointPublisher("http://127.0.0.1:" + FIRST_PORT);
			result.restOne = engine.atRest(REST_MILLIS);
			scenarios.watch(engine);
			try (SubscriberPool pool = new SubscriberPool(scenarios.loopThreads(), false)) {
				result.one = scenarios.fanout("1 node, " + engine.label, (i) -> protocols[0], publisher,
						new ServerProcess[] { nodes[0] }, pool, WARM_UP_SECONDS);
				pool.closeAll();
			}
			start(1, result.server, engine, javaHome, jar, work, nodes, protocols);
			start(2, result.server, engine, javaHome, jar, work, nodes, protocols);
			result.restThree = engine.atRest(REST_MILLIS);
			try (SubscriberPool pool = new SubscriberPool(scenarios.loopThreads(), false)) {
				result.three = scenarios.fanout("3 nodes, " + engine.label, (i) -> protocols[i % 3], publisher, nodes,
						pool, WARM_UP_SECONDS);
				pool.closeAll();
			}
			Thread.sleep(1000);
			int subscribers = result.three.subscribers;
			// a moderate steady rate: a quarter of the three nodes' sustained one
			int rate = (result.three.best == null) ? 20 : Math.max(20, result.three.best.messageRate() / 4);
			result.kill = NodeKill.run(scenarios, nodes, protocols, publisher, subscribers,
					Math.max(10, subscribers / 50), rate, 10, NODE_TTL.toMillis());
			System.out.printf("  kill -9 node 3: %d of %d members removed, %.0f..%.0f ms after the kill;"
					+ " survivors' subscribers lost %d of %d%n", result.kill.removed(), result.kill.members(),
					result.kill.firstRemovedMillis(), result.kill.lastRemovedMillis(), result.kill.survivors().lost(),
					result.kill.survivors().expected());
		}
		finally {
			for (ServerProcess node : nodes) {
				if (node != null) {
					node.close();
				}
			}
		}
	}

	private static void start(int index, String server, Engine engine, Path javaHome, Path jar, Path work,
			ServerProcess[] nodes, Protocol[] protocols) throws Exception {
		int port = FIRST_PORT + index;
		String name = server + "-" + (index + 1);
		Path log = work.resolve(name + ".log");
		nodes[index] = ServerProcess.java(name, javaHome, jar, engine.libs, LoadBenchmark.JVM_FLAGS,
				LoadBenchmark.realtimeArgs(port,
						LoadBenchmark.concat(engine.nodeArgs, LoadBenchmark.transportArgs(true, port))),
				port, log);
		protocols[index] = new dev.realtime.bench.load.pusher.PusherProtocol("127.0.0.1",
				LoadBenchmark.webSocketPort(true, port, nodes[index], log), LoadBenchmark.REALTIME_KEY,
				LoadBenchmark.REALTIME_SECRET);
	}

	/**
	 * What a startup failure says: the failure analyzer's description (the line after
	 * "Description:"), else the last exception line of the log's tail.
	 */
	private static String lastLine(String message) {
		List<String> lines = message.lines().map(String::trim).toList();
		String why = null;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("Description:")) {
				return lines.subList(i + 1, lines.size()).stream().filter((line) -> !line.isEmpty()).findFirst().orElse("?");
			}
			if (lines.get(i).contains("Exception:")) {
				why = lines.get(i);
			}
		}
		return (why != null) ? why : lines.get(lines.size() - 1);
	}

}
