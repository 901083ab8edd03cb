package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts test nodes on the test Redis under a key prefix of their own, and removes the
 * nodes and every key of the prefix afterwards.
 */
abstract class RedisNodesTestSupport {

	protected final String prefix = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<TestNode> nodes = new ArrayList<>();

	private TestRedis admin;

	@BeforeEach
	void connectAdmin() {
		this.admin = new TestRedis(redisUri());
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
	}

	/**
	 * The Redis the nodes share: the test Redis, or another topology in a subclass that
	 * runs the same tests on it (a {@link TestRedis} URI).
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

	protected RedisClusterCommands<String, String> redis() {
		return this.admin.commands();
	}

	/** The names of this test's keys and channels. */
	protected RedisKeys keys() {
		return new RedisKeys(this.prefix);
	}

	/** How many connections subscribe to a pub/sub channel (sharded on a cluster). */
	protected long subscribers(String redisChannel) {
		return this.admin.subscribers(redisChannel);
	}

	/** Publish a raw message on a pub/sub channel, as the nodes' pub/sub does. */
	protected void publishRaw(String redisChannel, String message) {
		this.admin.publish(redisChannel, message);
	}

	/** CLIENT KILL every connection of a node, on every Redis server; returns how many. */
	protected long killConnectionsOf(TestNode node) {
		return this.admin.killConnectionsNamed(this.prefix + "-" + node.name);
	}

	/** Every key of this test's prefix: what a Redis restart would lose. */
	protected void deleteKeys() {
		this.admin.deleteKeys(this.prefix);
	}

}
