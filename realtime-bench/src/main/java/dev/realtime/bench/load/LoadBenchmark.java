package dev.realtime.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dev.realtime.bench.load.nchan.NchanProtocol;
import dev.realtime.bench.load.pusher.PusherHttpApi;
import dev.realtime.bench.load.pusher.PusherProtocol;
import dev.realtime.bench.load.stomp.StompProtocol;

/**
 * Runs every load scenario against each server in turn (the realtime sample app, the
 * Spring STOMP baseline, nchan), each server alone on the machine while it is measured,
 * and writes the tables into BENCHMARKS.md. Loopback only; every scenario is bounded in
 * connections, rate and time, so the run stops by itself.
 * <p>
 * Options: {@code --quick} (small and short, for development), {@code --servers=realtime,realtime-netty,stomp,nchan,redis,redis-netty,realtime-http}
 * (and, not in the default set, {@code cluster-redis}, {@code cluster-nats}, {@code cluster-rabbitmq},
 * {@code cluster-redis-cluster} or {@code engines} for all four: three nodes and one node on each engine,
 * {@link EngineBenchmark}, reported in {@code engines.md} of the work directory and never written to {@code --out}),
 * {@code --scenarios=fanout,idle,churn,http-channels} (and {@code presence-joins}, realtime only and not run by default:
 * presence joins at a rising rate, on one node or, with redis, alternating between two; idle includes the many-channels search with the
 * in-process publisher; http-channels is 1,000 channels x 10 published by the generator, for realtime
 * through the signed Pusher HTTP API), {@code --http-publishers=16} (its concurrent publishing threads),
 * {@code --http-batch=10} (events per request of a server named {@code realtime-netty-batch}, say, which
 * publishes http-channels as {@code batch_events}), {@code --ladder=25000,50000} (the rising deliveries/s), {@code --out=BENCHMARKS.md}, {@code --jfr=file.jfr} (record the realtime server over the scenarios run; with
 * {@code --scenarios=fanout}, the saturation search),
 * {@code --realtime-args="--a=b --c=d"} (extra realtime server arguments), {@code --compression}
 * (permessage-deflate on the realtime servers and every subscriber; or name a server
 * {@code realtime-netty-deflate}, say, to run it with compression beside the plain one), {@code --realtime-jar=}, {@code --stomp-jar=}, {@code --work=dir}, {@code --command=} (as reported).
 */
public final class LoadBenchmark {

	static final String REALTIME_APP_ID = "sample-app";

	static final String REALTIME_KEY = "sample-key";

	static final String REALTIME_SECRET = "sample-secret-change-me";

	/** The scenario publishing many small channels from the generator, one request per event. */
	static final String HTTP_CHANNELS = "http-channels";

	/** Presence joins at a rising rate (realtime only; not in the default set). */
	static final String PRESENCE_JOINS = "presence-joins";

	/** Keep-alive connections (one request in flight each) publishing {@link #HTTP_CHANNELS}. */
	private static int httpPublishers = 16;

	/**
	 * Connections publishing one channel's fan-out over HTTP: one, since a channel's
	 * messages go one at a time to keep their order.
	 */
	private static final int FANOUT_PUBLISHERS = 1;

	static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx3g", "-XX:+UseG1GC");

	private LoadBenchmark() {
	}

	/**
	 * Run the scenarios and write the report.
	 * @param args the options (see the class description)
	 * @throws Exception if the run cannot start (a server failing is reported, not thrown)
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		boolean quick = options.containsKey("quick");
		boolean compressionEverywhere = options.containsKey("compression");
		if (options.containsKey("realtime-args")) {
			realtimeExtra = List.of(options.get("realtime-args").split(" "));
		}
		Scenarios.Settings settings = quick ? Scenarios.Settings.quick() : Scenarios.Settings.full();
		Path work = Path.of(options.getOrDefault("work", "realtime-bench/target/load"));
		Files.createDirectories(work);
		Scenarios scenarios = new Scenarios(settings,
				List.of(options.getOrDefault("scenarios", "fanout,idle,churn," + HTTP_CHANNELS).split(",")), work);
		httpPublishers = Integer.parseInt(options.getOrDefault("http-publishers", "16"));
		batchSize = Integer.parseInt(options.getOrDefault("http-batch", "10"));
		if (options.containsKey("ladder")) {
			scenarios.ladder(Arrays.stream(options.get("ladder").split(",")).mapToLong(Long::parseLong).toArray());
		}
		List<String> servers = Arrays.stream(options.getOrDefault("servers", "realtime,realtime-netty,stomp,nchan,redis,redis-netty").split(","))
			.flatMap((server) -> server.equals("engines") ? EngineBenchmark.SERVERS.stream() : java.util.stream.Stream.of(server))
			.toList();
		Path javaHome = Path.of(System.getProperty("java.home"));
		Path realtimeJar = Path.of(options.getOrDefault("realtime-jar", "sample-app/target/sample-app-0.1.0-SNAPSHOT.jar"));
		Path stompJar = Path.of(options.getOrDefault("stomp-jar",
				"bench-stomp-baseline/target/bench-stomp-baseline-0.1.0-SNAPSHOT.jar"));
		Report report = new Report(options.getOrDefault("command", "realtime-bench/run-load.sh"), JVM_FLAGS, quick,
				settings);
		List<Results.Server> results = new ArrayList<>();
		List<EngineBenchmark.Result> engines = new ArrayList<>();
		for (String named : servers) {
			System.out.println("== " + named + " (load average " + Report.loadAverage() + ")");
			if (EngineBenchmark.SERVERS.contains(named)) {
				// three nodes and one on an engine: tables of their own (engines.md), not in the Load section
				try {
					engines.add(EngineBenchmark.run(named, scenarios, javaHome, realtimeJar, work));
				}
				catch (Exception ex) {
					System.out.println("!! " + named + " failed: " + ex);
					ex.printStackTrace(System.out);
				}
				continue;
			}
			// "realtime-netty-deflate": the same server with compression, beside the plain one in one run.
			boolean deflate = named.endsWith(DEFLATE_SUFFIX);
			String server = deflate ? named.substring(0, named.length() - DEFLATE_SUFFIX.length()) : named;
			compression = compressionEverywhere || deflate;
			// "realtime-netty-batch": the HTTP API scenario published as batch_events.
			boolean batched = server.endsWith(BATCH_SUFFIX);
			server = batched ? server.substring(0, server.length() - BATCH_SUFFIX.length()) : server;
			httpBatch = batched ? batchSize : 1;
			Results.Server result = new Results.Server(switch (named) {
				case "redis" -> "realtime x2 (Redis)";
				case "redis-netty" -> "realtime-netty x2 (Redis)";
				default -> named;
			});
			results.add(result);
			if (compression && (server.startsWith("realtime") || server.startsWith("redis"))) {
				result.notes.add("permessage-deflate: realtime.compression.enabled=true, every subscriber offers it"
						+ " (Netty's client compression handler); wire B / delivery counts what the sockets read");
			}
			try {
				switch (server) {
					case "realtime" -> realtime(result, scenarios, javaHome, realtimeJar, work, options.get("jfr"), false);
					case "realtime-netty" -> realtime(result, scenarios, javaHome, realtimeJar, work, options.get("jfr"), true);
					case "realtime-http" -> realtimeHttpApi(result, scenarios, javaHome, realtimeJar, work);
					case "stomp" -> stomp(result, scenarios, javaHome, stompJar, work);
					case "nchan" -> nchan(result, scenarios, work);
					case "redis" -> redis(result, scenarios, javaHome, realtimeJar, work, false);
					case "redis-netty" -> redis(result, scenarios, javaHome, realtimeJar, work, true);
					default -> throw new IllegalArgumentException("unknown server " + server);
				}
			}
			catch (Exception ex) {
				System.out.println("!! " + server + " failed: " + ex);
				ex.printStackTrace(System.out);
				result.notes.add("run failed: " + ex);
			}
		}
		if (!engines.isEmpty()) {
			String tables = EngineReport.render(engines);
			Files.writeString(work.resolve("engines.md"), tables);
			System.out.println(tables);
		}
		if (results.isEmpty()) {
			System.exit(0);
		}
		String markdown = report.render(results);
		Files.writeString(work.resolve("results.md"), markdown);
		if (options.containsKey("out")) {
			report.writeInto(Path.of(options.get("out")), markdown);
		}
		System.out.println(markdown);
		System.exit(0);
	}

	private static List<String> springArgs(int port) {
		return List.of("--server.port=" + port, "--server.address=127.0.0.1", "--server.tomcat.max-connections=20000",
				"--server.tomcat.accept-count=1000", "--spring.main.banner-mode=off");
	}

	/**
	 * Whether the server being run enables permessage-deflate and every subscriber offers it
	 * ({@code --compression} for every server, or a server named with
	 * {@value #DEFLATE_SUFFIX}), to record what compression costs in server CPU and saves
	 * in bytes on the wire.
	 */
	private static boolean compression;

	/** A server name ending in this runs that server with permessage-deflate. */
	private static final String DEFLATE_SUFFIX = "-deflate";

	/**
	 * A realtime server name ending in this publishes {@link #HTTP_CHANNELS} as
	 * {@code batch_events} of {@code --http-batch} events (10).
	 */
	private static final String BATCH_SUFFIX = "-batch";

	private static int batchSize = 10;

	/** Events per HTTP API request for the server being run. */
	private static int httpBatch = 1;

	/** Extra arguments for the realtime servers ({@code --realtime-args=}), for experiments. */
	private static List<String> realtimeExtra = List.of();

	static List<String> realtimeArgs(int port, String... extra) {
		List<String> args = new ArrayList<>(springArgs(port));
		args.addAll(realtimeExtra);
		args.add("--sample.bench.enabled=true");
		args.add("--realtime.presence.max-members=10000");
		if (compression) {
			args.add("--realtime.compression.enabled=true");
		}
		args.addAll(List.of(extra));
		return args;
	}

	/**
	 * The arguments that put a realtime server's WebSocket endpoint on the Netty transport
	 * at {@code port + NETTY_PORT_OFFSET}, or none for the Servlet transport.
	 */
	static String[] transportArgs(boolean netty, int port) {
		return netty ? new String[] { "--realtime.transport=netty", "--realtime.netty.address=127.0.0.1",
				"--realtime.netty.port=" + (port + NETTY_PORT_OFFSET) } : new String[0];
	}

	/** Where clients connect: the Netty transport's port once it listens, or the application's. */
	static int webSocketPort(boolean netty, int port, ServerProcess server, Path log) throws Exception {
		if (!netty) {
			return port;
		}
		server.awaitPort(port + NETTY_PORT_OFFSET, log);
		return port + NETTY_PORT_OFFSET;
	}

	private static final int NETTY_PORT_OFFSET = 100;

	private static void realtime(Results.Server result, Scenarios scenarios, Path javaHome, Path jar, Path work, String jfr,
			boolean netty) throws Exception {
		int port = netty ? 21084 : 21080;
		String name = netty ? "realtime-netty" : "realtime";
		try (ServerProcess server = ServerProcess.java(name, javaHome, jar, JVM_FLAGS,
				realtimeArgs(port, transportArgs(netty, port)), port, work.resolve(name + ".log"))) {
			Protocol protocol = new PusherProtocol("127.0.0.1",
					webSocketPort(netty, port, server, work.resolve(name + ".log")), REALTIME_KEY, REALTIME_SECRET);
			Publisher publisher = new BenchEndpointPublisher("http://127.0.0.1:" + port);
			// On the Netty transport the HTTP API is published to on the Netty port, as Reverb's
			// and Soketi's users publish to their WebSocket port.
			int apiPort = netty ? port + NETTY_PORT_OFFSET : port;
			try (NettyHttpPublisher httpApi = (httpBatch > 1)
					? new NettyHttpPublisher("127.0.0.1", apiPort, httpPublishers, httpBatch,
							PusherHttpApi.batchEvents(REALTIME_APP_ID, REALTIME_KEY, REALTIME_SECRET))
					: new NettyHttpPublisher("127.0.0.1", apiPort, httpPublishers,
							PusherHttpApi.events(REALTIME_APP_ID, REALTIME_KEY, REALTIME_SECRET))) {
				run(scenarios, result, protocol, "presence-churn", publisher, httpApi, server, jfr);
			}
			if (scenarios.includes(HTTP_CHANNELS)) {
				result.notes.add(HTTP_CHANNELS + ": signed POST /apps/" + REALTIME_APP_ID
						+ ((httpBatch > 1) ? "/batch_events (" + httpBatch + " events per request)" : "/events") + " on the "
						+ (netty ? "Netty port" : "application port") + ", " + httpPublishers
						+ " keep-alive connections with one request in flight each (async client)");
			}
		}
	}

	/**
	 * The realtime server again, published through the signed Pusher HTTP API from the
	 * generator (one request per message, as a Pusher server SDK would, and as nchan is
	 * published): the fan-out search only.
	 */
	private static void realtimeHttpApi(Results.Server result, Scenarios scenarios, Path javaHome, Path jar,
			Path work) throws Exception {
		int port = 21083;
		Protocol protocol = new PusherProtocol("127.0.0.1", port, REALTIME_KEY, REALTIME_SECRET);
		try (ServerProcess server = ServerProcess.java("realtime-http", javaHome, jar, JVM_FLAGS, realtimeArgs(port),
				port, work.resolve("realtime-http.log"));
				SubscriberPool pool = new SubscriberPool(scenarios.loopThreads(), compression);
				NettyHttpPublisher publisher = new NettyHttpPublisher("127.0.0.1", port, FANOUT_PUBLISHERS,
						PusherHttpApi.events(REALTIME_APP_ID, REALTIME_KEY, REALTIME_SECRET))) {
			result.fanout = scenarios.fanout("1 channel, HTTP API", (i) -> protocol, publisher,
					new ServerProcess[] { server }, pool);
			result.notes.add("published through the signed Pusher HTTP API by the generator, one POST per message");
		}
	}

	private static void stomp(Results.Server result, Scenarios scenarios, Path javaHome, Path jar, Path work) throws Exception {
		int port = 21090;
		Protocol protocol = new StompProtocol("127.0.0.1", port);
		try (ServerProcess server = ServerProcess.java("stomp", javaHome, jar, JVM_FLAGS, springArgs(port), port,
				work.resolve("stomp.log"))) {
			Publisher publisher = new BenchEndpointPublisher("http://127.0.0.1:" + port);
			run(scenarios, result, protocol, null, publisher, null, server, null);
			if (scenarios.includes(HTTP_CHANNELS)) {
				result.notes.add(HTTP_CHANNELS + ": not run, the STOMP baseline has no HTTP publish endpoint (only the in-process /bench/publish)");
			}
		}
	}

	private static void nchan(Results.Server result, Scenarios scenarios, Path work) throws Exception {
		int port = 21070;
		Path prefix = work.resolve("nginx").toAbsolutePath();
		Path config = NchanConfig.write(prefix, port);
		Protocol protocol = new NchanProtocol("127.0.0.1", port);
		BiFunction<String, String, NettyHttpPublisher.Post> pub = (channel, payload) -> new NettyHttpPublisher.Post(
				"/pub/" + channel, "text/plain", payload.getBytes(StandardCharsets.UTF_8));
		try (ServerProcess server = ServerProcess.nginx(prefix, config, port);
				NettyHttpPublisher fanout = new NettyHttpPublisher("127.0.0.1", port, FANOUT_PUBLISHERS, pub);
				NettyHttpPublisher channels = new NettyHttpPublisher("127.0.0.1", port, httpPublishers, pub)) {
			run(scenarios, result, protocol, null, fanout, channels, server, null);
			result.notes.add("published by the generator, one HTTP POST per message (nchan has no in-process publisher)");
		}
	}

	/**
	 * Two realtime nodes sharing Redis: half the subscribers on each, publishing on the first.
	 * The sample app does not depend on Spring Data Redis, so run-load.sh copies
	 * {@code spring-boot-starter-data-redis} and its dependencies to
	 * {@code realtime-bench/target/redis-libs}, added to the nodes' class path.
	 */
	private static void redis(Results.Server result, Scenarios scenarios, Path javaHome, Path jar, Path work,
			boolean netty) throws Exception {
		int port1 = netty ? 21085 : 21081;
		int port2 = netty ? 21086 : 21082;
		// Spring Data Redis, without the other engines' jars the build copies beside it
		List<Path> redisLibs = EngineLibs.redis();
		List<String> redis = List.of("--realtime.broadcaster=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=6379");
		String name = netty ? "realtime-netty-redis" : "realtime-redis";
		try (ServerProcess node1 = ServerProcess.java(name + "-1", javaHome, jar, redisLibs, JVM_FLAGS,
				realtimeArgs(port1, concat(redis, transportArgs(netty, port1))), port1, work.resolve(name + "-1.log"));
				ServerProcess node2 = ServerProcess.java(name + "-2", javaHome, jar, redisLibs, JVM_FLAGS,
						realtimeArgs(port2, concat(redis, transportArgs(netty, port2))), port2,
						work.resolve(name + "-2.log"));
				SubscriberPool pool = new SubscriberPool(scenarios.loopThreads(), compression)) {
			Protocol first = new PusherProtocol("127.0.0.1",
					webSocketPort(netty, port1, node1, work.resolve(name + "-1.log")), REALTIME_KEY, REALTIME_SECRET);
			Protocol second = new PusherProtocol("127.0.0.1",
					webSocketPort(netty, port2, node2, work.resolve(name + "-2.log")), REALTIME_KEY, REALTIME_SECRET);
			ServerProcess[] nodes = { node1, node2 };
			if (scenarios.includes("fanout")) {
				result.redis = scenarios.fanout("1 channel, 2 nodes", (i) -> (i % 2 == 0) ? first : second,
						new BenchEndpointPublisher("http://127.0.0.1:" + port1), nodes, pool);
				pool.closeAll();
			}
			if (scenarios.includes(PRESENCE_JOINS)) {
				// Joins alternate between the nodes; the broadcast is published on node 1.
				result.presenceJoins = scenarios.presenceJoins((i) -> (i % 2 == 0) ? first : second,
						"presence-joins", new BenchEndpointPublisher("http://127.0.0.1:" + port1), nodes, pool);
				pool.closeAll();
			}
			if (scenarios.includes(HTTP_CHANNELS)) {
				// Published to node 1 only: half of each channel's subscribers get it through Redis.
				int apiPort = netty ? port1 + NETTY_PORT_OFFSET : port1;
				try (NettyHttpPublisher httpApi = new NettyHttpPublisher("127.0.0.1", apiPort, httpPublishers,
						PusherHttpApi.events(REALTIME_APP_ID, REALTIME_KEY, REALTIME_SECRET))) {
					Thread.sleep(1000);
					result.httpChannels = scenarios.httpChannels("HTTP, 2 nodes",
							(i) -> (i % 2 == 0) ? first : second, httpApi, nodes, pool);
					pool.closeAll();
				}
				result.notes.add(HTTP_CHANNELS + ": published to node 1 through the signed HTTP API; half of every"
						+ " channel's subscribers on each node");
			}
			result.notes.add("Redis at 127.0.0.1:6379; server CPU is both nodes' (Redis's own is not counted)");
		}
	}

	static String[] concat(List<String> first, String[] second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(List.of(second));
		return all.toArray(String[]::new);
	}

	private static void run(Scenarios scenarios, Results.Server result, Protocol protocol,
			String presenceChurnChannel, Publisher publisher, Publisher httpPublisher, ServerProcess server, String jfr)
			throws Exception {
		ServerProcess[] servers = { server };
		try (SubscriberPool pool = new SubscriberPool(scenarios.loopThreads(), compression)) {
			if (jfr != null) {
				server.startRecording("fanout");
			}
			if (scenarios.includes("fanout")) {
				result.fanout = scenarios.fanout("1 channel", (i) -> protocol, publisher, servers, pool);
				pool.closeAll();
				Thread.sleep(1000);
			}
			if (scenarios.includes("idle")) {
				result.idle = scenarios.idle(protocol, server, pool);
				result.channels = scenarios.channels(publisher, server, pool);
				pool.closeAll();
				Thread.sleep(1000);
			}
			if (scenarios.includes("churn")) {
				result.churn = scenarios.churn(protocol, "churn", publisher, server, pool);
				pool.closeAll();
				if (presenceChurnChannel != null) {
					Thread.sleep(1000);
					result.presenceChurn = scenarios.churn(protocol, presenceChurnChannel, publisher, server, pool);
					pool.closeAll();
				}
			}
			if (scenarios.includes(PRESENCE_JOINS) && presenceChurnChannel != null) {
				Thread.sleep(1000);
				result.presenceJoins = scenarios.presenceJoins((i) -> protocol, "presence-joins", publisher, servers,
						pool);
				pool.closeAll();
			}
			if (scenarios.includes(HTTP_CHANNELS) && httpPublisher != null) {
				Thread.sleep(1000);
				result.httpChannels = scenarios.httpChannels("HTTP", protocol, httpPublisher, server, pool);
				pool.closeAll();
			}
			if (jfr != null) {
				server.stopRecording("fanout", Path.of(jfr));
			}
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
