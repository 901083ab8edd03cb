package dev.realtime.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of its own for the {@code cluster-redis-cluster} engine: six
 * {@code redis-server --cluster-enabled yes} on loopback ports (three primaries, a replica
 * each), without persistence, joined with {@code redis-cli --cluster create}. The machine's
 * own Redis on 6379 is never touched; close stops the six servers.
 */
final class RedisCluster implements AutoCloseable {

	/** The first node's port; the others follow, and each one's cluster bus is port + 10000. */
	static final int FIRST_PORT = 21301;

	private static final int NODES = 6;

	private final List<Process> servers = new ArrayList<>();

	private final List<Integer> ports = new ArrayList<>();

	private RedisCluster() {
	}

	/**
	 * Start the six servers in {@code dir} (their logs and cluster files, emptied first) and
	 * create the cluster; returns once every slot is served.
	 */
	static RedisCluster start(Path dir) throws Exception {
		RedisCluster cluster = new RedisCluster();
		try {
			for (int i = 0; i < NODES; i++) {
				int port = FIRST_PORT + i;
				Path nodeDir = dir.resolve(Integer.toString(port));
				Files.createDirectories(nodeDir);
				// a cluster file from an earlier run would make this node refuse the new cluster
				Files.deleteIfExists(nodeDir.resolve("nodes.conf"));
				cluster.ports.add(port);
				cluster.servers.add(new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port",
						Integer.toString(port), "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
						"--dir", nodeDir.toAbsolutePath().toString(), "--save", "", "--appendonly", "no")
					.redirectErrorStream(true)
					.redirectOutput(nodeDir.resolve("redis.log").toFile())
					.start());
			}
			for (int port : cluster.ports) {
				awaitPort(port);
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.ports.forEach((port) -> create.add("127.0.0.1:" + port));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			String output = run(create);
			if (!output.contains("All 16384 slots covered")) {
				throw new IllegalStateException("redis-cli --cluster create: " + output);
			}
			cluster.awaitState();
			return cluster;
		}
		catch (Exception ex) {
			cluster.close();
			throw ex;
		}
	}

	/** For {@code spring.data.redis.cluster.nodes}. */
	String nodes() {
		return String.join(",", this.ports.stream().map((port) -> "127.0.0.1:" + port).toList());
	}

	List<Integer> ports() {
		return this.ports;
	}

	List<Long> pids() {
		return this.servers.stream().map(Process::pid).toList();
	}

	/** The nodes agree on the slots only a moment after create returns. */
	private void awaitState() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			boolean ok = true;
			for (int port : this.ports) {
				ok &= run(List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "INFO"))
					.contains("cluster_state:ok");
			}
			if (ok) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("Redis Cluster on " + nodes() + " is not ok after 30 s");
	}

	private static void awaitPort(int port) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException("redis-server did not listen on " + port);
	}

	static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish");
		}
		return output;
	}

	@Override
	public void close() throws Exception {
		for (Process server : this.servers) {
			server.destroy();
		}
		for (Process server : this.servers) {
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
