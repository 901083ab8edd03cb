package dev.realtime.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.awaitility.Awaitility.await;

/**
 * What the tests that run Redis topologies of their own share: starting the machine's
 * {@code redis-server} processes with their logs in the test's directory, waiting for
 * them, short-lived connections to one of them, and cleaning up.
 */
final class LocalRedisProcesses {

	static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

	private LocalRedisProcesses() {
	}

	/** Start a process, its output in {@code dir/name.log}. */
	static Process start(Path dir, String name, List<String> command) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve(name + ".log").toFile())
			.start();
	}

	static void awaitPing(int port) {
		await().atMost(Duration.ofSeconds(15)).until(() -> RedisTestServer.answersPing("127.0.0.1", port));
	}

	/** Wait until every replica among the servers has its link to its primary up. */
	static void awaitReplicasInSync(Collection<Integer> ports) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			for (int port : ports) {
				try (Admin redis = new Admin(port)) {
					String info = redis.connection().sync().info("replication");
					if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
						return false;
					}
				}
			}
			return true;
		});
	}

	/** Remove a test's directory; a temporary one is left for the system if that fails. */
	static void deleteDirectory(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory: left for the system to clean.
		}
	}

	/** A short-lived plain connection to one server. */
	static final class Admin implements AutoCloseable {

		private final RedisClient client;

		private final StatefulRedisConnection<String, String> connection;

		Admin(int port) {
			RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
			uri.setTimeout(Duration.ofSeconds(2));
			this.client = RedisClient.create(uri);
			try {
				this.connection = this.client.connect();
			}
			catch (RuntimeException ex) {
				this.client.shutdown(Duration.ZERO, Duration.ZERO);
				throw ex;
			}
		}

		StatefulRedisConnection<String, String> connection() {
			return this.connection;
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}

	}

}
