package dev.realtime.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine several realtime nodes share (standalone Redis, Redis Cluster, NATS with
 * JetStream, RabbitMQ with Redis beside it): the node arguments and libraries that select
 * it, and, as a {@link Scenarios.RoundWatcher}, what it cost in each round: the CPU time of
 * its server processes (found with {@code pgrep -f}, read from {@code /proc}) and, where a
 * Redis takes part, its {@code total_commands_processed} and PUBLISH calls from
 * {@code INFO}. Other clients of the machine's servers count too: the figures are the
 * engine's, not only the nodes' share of it.
 */
final class Engine implements Scenarios.RoundWatcher {

	private static final Pattern TOTAL = Pattern.compile("total_commands_processed:(\\d+)");

	private static final Pattern PUBLISHES = Pattern.compile("cmdstat_s?publish:calls=(\\d+)");

	/** As reported, e.g. "NATS (JetStream)". */
	final String label;

	/** The node arguments that select the engine. */
	final List<String> nodeArgs;

	/** The jars added to the nodes' class path. */
	final List<Path> libs;

	/** Which processes the engine CPU is, and where its commands come from (or why not). */
	final String measured;

	private final List<Long> pids;

	/** redis-cli arguments reaching each Redis server taking part (none: no commands counted). */
	private final List<List<String>> redisServers;

	private final Map<Results.Round, Use> uses = new IdentityHashMap<>();

	private long cpu0;

	private long start;

	private long[] commands0;

	private Engine(String label, List<String> nodeArgs, List<Path> libs, String measured, List<Long> pids,
			List<List<String>> redisServers) {
		this.label = label;
		this.nodeArgs = nodeArgs;
		this.libs = libs;
		this.measured = measured;
		this.pids = pids;
		this.redisServers = redisServers;
	}

	/**
	 * The engine's cost in one round: CPU milliseconds over the round's wall time (publishing
	 * and drain), Redis commands and PUBLISH calls (-1: not counted).
	 */
	record Use(long cpuMillis, double wallMillis, long commands, long publishes) {

		double cpuPercent() {
			return this.cpuMillis * 100.0 / this.wallMillis;
		}

	}

	/** What the engine spent in that round, or {@code null} if it was not watched. */
	Use use(Results.Round round) {
		return this.uses.get(round);
	}

	/** Standalone Redis: REDIS_URL, else 127.0.0.1:6379; {@code ttl} is the node TTL. */
	static Engine redis(String keyPrefix, String ttl) throws Exception {
		String url = redisUrl();
		return new Engine("Redis", List.of("--realtime.broadcaster=redis", "--spring.data.redis.url=" + url,
				"--realtime.redis.key-prefix=" + keyPrefix, "--realtime.redis.node-ttl=" + ttl), EngineLibs.redis(),
				"redis-server at " + url + ": CPU, and total_commands_processed / PUBLISH calls from INFO",
				pgrep("redis-server .*:" + URI.create(url).getPort()), List.of(List.of("-u", url)));
	}

	/** A Redis Cluster the harness started ({@link RedisCluster}). */
	static Engine redisCluster(RedisCluster cluster, String keyPrefix, String ttl) throws Exception {
		List<List<String>> servers = new ArrayList<>();
		for (int port : cluster.ports()) {
			servers.add(List.of("-p", Integer.toString(port)));
		}
		return new Engine("Redis Cluster (3 primaries + 3 replicas)",
				List.of("--realtime.broadcaster=redis", "--spring.data.redis.cluster.nodes=" + cluster.nodes(),
						"--realtime.redis.key-prefix=" + keyPrefix, "--realtime.redis.node-ttl=" + ttl),
				EngineLibs.redis(), "the six redis-server: CPU and commands summed (replicas included)",
				cluster.pids(), servers);
	}

	/** NATS with JetStream on 127.0.0.1:4222. */
	static Engine nats(String prefix, String ttl) throws Exception {
		// nats-server here runs without a monitoring port (-m): no /varz in_msgs to count
		boolean varz = RedisCluster.run(List.of("curl", "-s", "-m", "2", "http://127.0.0.1:8222/varz"))
			.contains("in_msgs");
		return new Engine("NATS (JetStream)", List.of("--realtime.broadcaster=nats",
				"--realtime.nats.servers=nats://127.0.0.1:4222", "--realtime.nats.prefix=" + prefix,
				"--realtime.nats.node-ttl=" + ttl), EngineLibs.nats(),
				"nats-server: CPU; messages per event " + (varz ? "not read (the /varz monitoring endpoint on 8222 answers, but this harness does not read it yet)"
						: "not available (nats-server runs without a monitoring port, no /varz on 8222)"),
				pgrep("nats-server"), List.of());
	}

	/** RabbitMQ on 127.0.0.1:5672 (guest/guest) for events, with the Redis of {@link #redis} for presence. */
	static Engine rabbitmq(String prefix, String ttl) throws Exception {
		String url = redisUrl();
		List<Long> pids = new ArrayList<>(pgrep("beam.smp.*rabbit"));
		pids.addAll(pgrep("redis-server .*:" + URI.create(url).getPort()));
		boolean management = RedisCluster.run(List.of("curl", "-s", "-m", "2", "-u", "guest:guest",
				"http://127.0.0.1:15672/api/overview")).contains("message_stats");
		return new Engine("RabbitMQ (+ Redis for presence)", List.of("--realtime.broadcaster=rabbitmq",
				"--spring.rabbitmq.host=127.0.0.1", "--spring.rabbitmq.port=5672", "--spring.rabbitmq.username=guest",
				"--spring.rabbitmq.password=guest", "--realtime.rabbitmq.exchange=" + prefix,
				"--realtime.rabbitmq.node-ttl=" + ttl, "--spring.data.redis.url=" + url,
				"--realtime.redis.key-prefix=" + prefix, "--realtime.redis.node-ttl=" + ttl), EngineLibs.rabbitmq(),
				"RabbitMQ's beam.smp and redis-server at " + url + ": CPU summed; commands are the Redis beside it"
						+ " (presence and counts), RabbitMQ's own messages "
						+ (management ? "not read (the management API answers, but this harness does not read it yet)"
								: "not available (no management API on 15672)"),
				pids, List.of(List.of("-u", url)));
	}

	private static String redisUrl() {
		String url = System.getenv("REDIS_URL");
		return (url != null && !url.isBlank()) ? url : "redis://127.0.0.1:6379";
	}

	private static List<Long> pgrep(String pattern) throws Exception {
		List<Long> pids = new ArrayList<>();
		for (String line : RedisCluster.run(List.of("pgrep", "-f", pattern)).split("\n")) {
			if (!line.isBlank()) {
				pids.add(Long.parseLong(line.trim()));
			}
		}
		return pids;
	}

	/** Whether the engine's server processes were found (the CPU column means something). */
	boolean cpuMeasured() {
		return !this.pids.isEmpty();
	}

	/**
	 * What the engine spends with nothing published for {@code millis}: the nodes' heartbeats
	 * and count writes, and anything else on those servers, the background of every round.
	 */
	Use atRest(long millis) throws Exception {
		started();
		Thread.sleep(millis);
		double wallMillis = (System.nanoTime() - this.start) / 1e6;
		long[] commands = commands();
		return new Use(cpuMillis() - this.cpu0, wallMillis,
				this.redisServers.isEmpty() ? -1 : commands[0] - this.commands0[0],
				this.redisServers.isEmpty() ? -1 : commands[1] - this.commands0[1]);
	}

	@Override
	public void started() throws Exception {
		this.cpu0 = cpuMillis();
		this.commands0 = commands();
		this.start = System.nanoTime();
	}

	@Override
	public void finished(Results.Round round) throws Exception {
		double wallMillis = (System.nanoTime() - this.start) / 1e6;
		long cpu = cpuMillis() - this.cpu0;
		long[] commands = commands();
		this.uses.put(round, this.redisServers.isEmpty() ? new Use(cpu, wallMillis, -1, -1)
				: new Use(cpu, wallMillis, commands[0] - this.commands0[0], commands[1] - this.commands0[1]));
	}

	private long cpuMillis() {
		long total = 0;
		for (long pid : this.pids) {
			total += ServerProcess.cpuMillis(pid);
		}
		return total;
	}

	/** Commands processed and PUBLISH calls so far, summed over the Redis servers. */
	private long[] commands() throws Exception {
		long[] counts = new long[2];
		for (List<String> server : this.redisServers) {
			List<String> command = new ArrayList<>(List.of("redis-cli"));
			command.addAll(server);
			command.addAll(List.of("INFO", "all"));
			String info = RedisCluster.run(command);
			Matcher total = TOTAL.matcher(info);
			counts[0] += total.find() ? Long.parseLong(total.group(1)) : 0;
			Matcher publishes = PUBLISHES.matcher(info);
			while (publishes.find()) {
				counts[1] += Long.parseLong(publishes.group(1));
			}
		}
		return counts;
	}

}
