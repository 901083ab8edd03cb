package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts test nodes on the test Redis under a key prefix of their own, and removes the
 * nodes and every key of the prefix afterwards.
 */
abstract class RedisClusterTestSupport {

	protected final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<TestNode> nodes = new ArrayList<>();

	private RedisClient client;

	protected StatefulRedisConnection<String, String> admin;

	@BeforeEach
	void connectAdmin() {
		this.client = RedisClient.create(redisUri());
		this.admin = this.client.connect();
	}

	@AfterEach
	void closeNodesAndCleanUp() {
		for (TestNode node : this.nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				// Killed nodes may fail to close twice; keep cleaning up.
			}
		}
		deleteKeys();
		this.admin.close();
		this.client.shutdown();
	}

	/**
	 * The Redis the nodes share: the test Redis, or another topology in a subclass that
	 * runs the same tests on it.
	 */
	protected String redisUri() {
		return RedisTestServer.uri();
	}

	protected TestNode node(String name) {
		return node(name, Duration.ofSeconds(15));
	}

	protected TestNode node(String name, Duration nodeTtl) {
		TestNode node = new TestNode(redisUri(), this.prefix, name, nodeTtl);
		this.nodes.add(node);
		return node;
	}

	protected TestNode node(String name, int maxPresenceMembers) {
		TestNode node = new TestNode(redisUri(), this.prefix, name, Duration.ofSeconds(15),
				maxPresenceMembers);
		this.nodes.add(node);
		return node;
	}

	protected RedisCommands<String, String> redis() {
		return this.admin.sync();
	}

	/** CLIENT KILL every connection of a node; returns how many. */
	protected long killConnectionsOf(TestNode node) {
		String name = this.prefix + "-" + node.name;
		List<String> ids = new ArrayList<>();
		for (String line : redis().clientList().split("\n")) {
			if (line.contains(" name=" + name + " ")) {
				for (String part : line.split(" ")) {
					if (part.startsWith("id=")) {
						ids.add(part.substring(3));
					}
				}
			}
		}
		long killed = 0;
		for (String id : ids) {
			killed += redis().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
		}
		return killed;
	}

	/** Every key of this test's prefix: what a Redis restart would lose. */
	protected void deleteKeys() {
		RedisTestServers.deleteKeys(redis(), this.prefix);
	}

}
