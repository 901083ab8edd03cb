package dev.realtime.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;


import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Redis Cluster of this test's own: three primaries and a replica each, on free loopback
 * ports in a temporary directory, created with {@code redis-cli --cluster create}, a node
 * found failing after 1 s. Uses the machine's {@code redis-server} and {@code redis-cli}
 * (7, Debian's package); tests are skipped without them.
 */
final class RedisClusterTestServers implements AutoCloseable {

	private static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");

	private static RedisClusterTestServers shared;

	private final Path dir;

	/** Port to process, in start order: the first three become the primaries. */
	private final Map<Integer, Process> nodes = new LinkedHashMap<>();

	private RedisClusterTestServers(int primaries) throws IOException, InterruptedException {
		this.dir = Files.createTempDirectory("realtime-cluster");
		for (int i = 0; i < primaries * 2; i++) {
			int port = freePort();
			this.nodes.put(port, node(port));
		}
		for (int port : this.nodes.keySet()) {
			awaitPing(port);
		}
		List<String> create = new ArrayList<>(List.of(REDIS_CLI.toString(), "--cluster", "create"));
		this.nodes.keySet().forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		Process creating = new ProcessBuilder(create).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("create.log").toFile())
			.start();
		if (!creating.waitFor(60, TimeUnit.SECONDS) || creating.exitValue() != 0) {
			throw new IllegalStateException("redis-cli --cluster create failed: "
					+ Files.readString(this.dir.resolve("create.log")));
		}
		awaitClusterOk();
		// A replica that never synced cannot take over: in sync before any test kills a primary.
		awaitReplicasInSync();
	}

	/**
	 * Start a new cluster (a test that kills a primary owns it and closes it).
	 * @return the cluster, every slot served and every node agreeing
	 */
	static RedisClusterTestServers start() {
		assumeTrue(Files.isExecutable(LocalRedisProcesses.REDIS_SERVER) && Files.isExecutable(REDIS_CLI),
				"Redis Cluster tests need /usr/bin/redis-server and redis-cli (7+; Debian package redis-server)");
		try {
			return new RedisClusterTestServers(3);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start the Redis Cluster test servers", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One cluster shared by the tests that leave its topology alone, started once per run.
	 * @return the cluster
	 */
	static synchronized RedisClusterTestServers shared() {
		if (shared == null) {
			shared = start();
			RedisClusterTestServers servers = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
		}
		return shared;
	}

	/**
	 * The {@link TestRedis} URI naming every node.
	 * @return {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}
	 */
	String uri() {
		return "redis-cluster://" + nodeList();
	}

	/**
	 * The nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code 127.0.0.1:p1,127.0.0.1:p2,...}
	 */
	String nodeList() {
		return this.nodes.keySet().stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/**
	 * The port of the primary serving a key's slot now.
	 * @param key the key (or shard channel)
	 * @return its primary's port
	 */
	int primaryPortOf(String key) {
		for (int port : this.nodes.keySet()) {
			if (!this.nodes.get(port).isAlive()) {
				continue;
			}
			try (LocalRedisProcesses.Admin redis = new LocalRedisProcesses.Admin(port)) {
				if (redis.connection().sync().info("replication").contains("role:master")) {
					long slot = redis.connection().sync().clusterKeyslot(key);
					List<Object> owners = redis.connection().sync().clusterSlots();
					for (Object range : owners) {
						List<?> entry = (List<?>) range;
						if ((Long) entry.get(0) <= slot && slot <= (Long) entry.get(1)) {
							return ((Long) ((List<?>) entry.get(2)).get(1)).intValue();
						}
					}
				}
			}
		}
		throw new IllegalStateException("No primary serves " + key);
	}

	/**
	 * Kill a node's process (SIGKILL: no goodbye to its clients).
	 * @param port the node
	 */
	void kill(int port) {
		Process node = this.nodes.get(port);
		node.destroyForcibly();
		try {
			node.waitFor(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start a killed node again on its port, with its cluster configuration: it rejoins as
	 * a replica of whoever took over its slots.
	 * @param port the node
	 */
	void restart(int port) {
		try {
			this.nodes.put(port, node(port));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot restart the node on " + port, ex);
		}
		awaitPing(port);
		awaitClusterOk();
		awaitReplicasInSync();
	}

	/** Wait until a replica serves a key's slot in place of the killed primary, and every slot is served. */
	void awaitPrimaryOtherThan(String key, int oldPort) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				return primaryPortOf(key) != oldPort;
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
		awaitClusterOk();
	}

	/** Wait until the surviving nodes agree that every slot is served. */
	void awaitClusterOk() {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			for (Map.Entry<Integer, Process> node : this.nodes.entrySet()) {
				if (!node.getValue().isAlive()) {
					continue;
				}
				try (LocalRedisProcesses.Admin redis = new LocalRedisProcesses.Admin(node.getKey())) {
					if (!redis.connection().sync().clusterInfo().contains("cluster_state:ok")) {
						return false;
					}
				}
				catch (RuntimeException ex) {
					return false;
				}
			}
			return true;
		});
	}

	private void awaitReplicasInSync() {
		LocalRedisProcesses.awaitReplicasInSync(this.nodes.keySet());
	}

	@Override
	public void close() {
		this.nodes.values().forEach(Process::destroyForcibly);
		for (Process process : this.nodes.values()) {
			try {
				process.waitFor(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		LocalRedisProcesses.deleteDirectory(this.dir);
	}

	private Process node(int port) throws IOException {
		List<String> command = List.of(LocalRedisProcesses.REDIS_SERVER.toString(), "--port", String.valueOf(port), "--bind",
				"127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
				"--cluster-node-timeout", "1000", "--repl-diskless-sync-delay", "0", "--save", "", "--appendonly",
				"no", "--dir", this.dir.toString(),
				"--dbfilename", "dump-" + port + ".rdb");
		return LocalRedisProcesses.start(this.dir, "redis-" + port, command);
	}

	private static void awaitPing(int port) {
		LocalRedisProcesses.awaitPing(port);
	}

	/** A free port whose cluster bus port (10000 above it) is free too. */
	private static int freePort() {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
			if (isFree(port) && isFree(port + 10_000)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port pair for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
