package dev.realtime.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Redis Sentinel set-up of this test's own, on free loopback ports in a temporary
 * directory: a primary, one replica and one sentinel (quorum 1, to spare the shared CPU)
 * monitoring them as {@value #MASTER}, with a primary found down after 1 s. Uses the
 * machine's {@code redis-server} (7, Debian's package); tests are skipped without it.
 */
final class RedisSentinelTestServers implements AutoCloseable {

	static final String MASTER = "mymaster";

	private static RedisSentinelTestServers shared;

	private final Path dir;

	private final List<Process> processes = new ArrayList<>();

	private final Map<Integer, Process> dataNodes = new HashMap<>();

	private final int sentinelPort;

	private RedisSentinelTestServers() throws IOException {
		this.dir = Files.createTempDirectory("realtime-sentinel");
		int primary = freePort();
		int replica = freePort();
		this.sentinelPort = freePort();
		this.dataNodes.put(primary, dataNode(primary, null));
		this.dataNodes.put(replica, dataNode(replica, primary));
		// In sync before the sentinel starts, so its first INFO of the primary lists the
		// replica (the next comes 10 s later).
		awaitReplicaInSync();
		Path conf = this.dir.resolve("sentinel.conf");
		Files.writeString(conf, String.join("\n", "port " + this.sentinelPort, "bind 127.0.0.1",
				"dir " + this.dir, "sentinel monitor " + MASTER + " 127.0.0.1 " + primary + " 1",
				"sentinel down-after-milliseconds " + MASTER + " 1000",
				"sentinel failover-timeout " + MASTER + " 5000", "sentinel parallel-syncs " + MASTER + " 1", ""));
		this.processes.add(start("sentinel", List.of(LocalRedisProcesses.REDIS_SERVER.toString(), conf.toString(), "--sentinel")));
		awaitPing(this.sentinelPort);
		awaitSentinelSeesReplica();
	}

	/**
	 * Start a new set-up (a test that fails the primary over owns it and closes it).
	 * @return the servers, running, the replica in sync and known to the sentinel
	 */
	static RedisSentinelTestServers start() {
		assumeTrue(Files.isExecutable(LocalRedisProcesses.REDIS_SERVER),
				"Redis Sentinel tests need /usr/bin/redis-server (7+; Debian package redis-server)");
		try {
			return new RedisSentinelTestServers();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start the Redis Sentinel test servers", ex);
		}
	}

	/**
	 * One set-up shared by the tests that leave its topology alone, started once per run.
	 * @return the servers
	 */
	static synchronized RedisSentinelTestServers shared() {
		if (shared == null) {
			shared = start();
			RedisSentinelTestServers servers = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
		}
		return shared;
	}

	/**
	 * The Lettuce URI naming the sentinel and the primary's name.
	 * @return {@code redis-sentinel://127.0.0.1:port#mymaster}
	 */
	String uri() {
		return "redis-sentinel://127.0.0.1:" + this.sentinelPort + "#" + MASTER;
	}

	int sentinelPort() {
		return this.sentinelPort;
	}

	/** The port of the primary as the sentinel reports it now. */
	int primaryPort() {
		try (Sentinel sentinel = new Sentinel(this.sentinelPort)) {
			return ((InetSocketAddress) sentinel.connection.sync().getMasterAddrByName(MASTER)).getPort();
		}
	}

	/** Ask the sentinel to fail the primary over to the replica ({@code SENTINEL FAILOVER}). */
	void failover() {
		try (Sentinel sentinel = new Sentinel(this.sentinelPort)) {
			sentinel.connection.sync().failover(MASTER);
		}
	}

	/** Kill the primary's process (SIGKILL: no goodbye to its clients). */
	void killPrimary() {
		Process primary = this.dataNodes.get(primaryPort());
		primary.destroyForcibly();
		try {
			primary.waitFor(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Wait until the sentinel names a primary other than the given one, and it answers. */
	void awaitPrimaryOtherThan(int oldPort) {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try {
				return primaryPort() != oldPort;
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
		awaitPing(primaryPort());
	}

	@Override
	public void close() {
		for (Process process : this.processes) {
			process.destroyForcibly();
		}
		for (Process process : this.processes) {
			try {
				process.waitFor(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		LocalRedisProcesses.deleteDirectory(this.dir);
	}

	private Process dataNode(int port, @Nullable Integer primary) throws IOException {
		List<String> command = new ArrayList<>(List.of(LocalRedisProcesses.REDIS_SERVER.toString(), "--port", String.valueOf(port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString(),
				"--dbfilename", "dump-" + port + ".rdb"));
		if (primary != null) {
			command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(primary)));
		}
		Process process = start("redis-" + port, command);
		this.processes.add(process);
		awaitPing(port);
		return process;
	}

	private Process start(String name, List<String> command) throws IOException {
		return LocalRedisProcesses.start(this.dir, name, command);
	}

	private void awaitSentinelSeesReplica() {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Sentinel sentinel = new Sentinel(this.sentinelPort)) {
				String info = sentinel.connection.sync().info("sentinel");
				// "slaves=1" once the sentinel has seen the replica in the primary's INFO.
				return info.contains("status=ok") && info.contains("slaves=1");
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
	}

	private void awaitReplicaInSync() {
		LocalRedisProcesses.awaitReplicasInSync(this.dataNodes.keySet());
	}

	private static void awaitPing(int port) {
		LocalRedisProcesses.awaitPing(port);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** A short-lived connection to the sentinel. */
	private static final class Sentinel implements AutoCloseable {

		private final RedisClient client;

		private final StatefulRedisSentinelConnection<String, String> connection;

		Sentinel(int port) {
			RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
			uri.setTimeout(Duration.ofSeconds(2));
			this.client = RedisClient.create(uri);
			try {
				this.connection = this.client.connectSentinel();
			}
			catch (RuntimeException ex) {
				this.client.shutdown(Duration.ZERO, Duration.ZERO);
				throw ex;
			}
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}

	}

}
