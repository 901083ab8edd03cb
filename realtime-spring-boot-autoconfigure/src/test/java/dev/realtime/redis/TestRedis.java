package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * An admin connection to the Redis the tests run on, whatever its topology, and the
 * nodes' connections to it. A URI {@code redis-cluster://host:port,host:port} names a
 * Redis Cluster by some of its nodes; any other is Lettuce's (a server, or sentinels).
 */
public final class TestRedis implements AutoCloseable {

	private static final String CLUSTER = "redis-cluster://";

	private final RedisClient client;

	private final RedisClusterClient clusterClient;

	private final StatefulRedisConnection<String, String> connection;

	private final StatefulRedisClusterConnection<String, String> clusterConnection;

	/**
	 * Connect to the Redis at a test URI.
	 * @param uri a server, sentinels, or {@code redis-cluster://} nodes
	 */
	public TestRedis(String uri) {
		if (isCluster(uri)) {
			this.client = null;
			this.connection = null;
			this.clusterClient = RedisClusterClient.create(seeds(uri));
			this.clusterConnection = this.clusterClient.connect();
		}
		else {
			this.clusterClient = null;
			this.clusterConnection = null;
			this.client = RedisClient.create(uri);
			this.connection = this.client.connect();
		}
	}

	/**
	 * Whether a test URI names a Redis Cluster.
	 * @param uri the URI
	 * @return {@code true} for {@code redis-cluster://}
	 */
	public static boolean isCluster(String uri) {
		return uri.startsWith(CLUSTER);
	}

	/**
	 * A node's connections to the Redis at the URI, named for {@code CLIENT LIST}.
	 * @param uri a test URI
	 * @param config the node's settings
	 * @param clientName the connections' name
	 * @return the connections, not started
	 */
	static RedisConnections connections(String uri, RedisClusterConfig config, String clientName) {
		if (isCluster(uri)) {
			List<RedisURI> seeds = seeds(uri);
			seeds.forEach((seed) -> seed.setClientName(clientName));
			return RedisConnections.cluster(seeds, config);
		}
		RedisURI server = RedisURI.create(uri);
		server.setClientName(clientName);
		return new RedisConnections(server, config);
	}

	/**
	 * The nodes of a cluster URI, as {@code spring.data.redis.cluster.nodes} takes them.
	 * @param uri a {@code redis-cluster://} URI
	 * @return {@code host:port,host:port}
	 */
	public static String clusterNodes(String uri) {
		return uri.substring(CLUSTER.length());
	}

	private static List<RedisURI> seeds(String uri) {
		return Arrays.stream(uri.substring(CLUSTER.length()).split(","))
			.map((node) -> RedisURI.create("redis://" + node))
			.collect(ArrayList::new, List::add, List::addAll);
	}

	RedisClusterCommands<String, String> commands() {
		return (this.clusterConnection != null) ? this.clusterConnection.sync() : this.connection.sync();
	}

	/** Subscribers of a pub/sub channel: sharded ones on its slot's primary on a cluster. */
	long subscribers(String redisChannel) {
		if (this.clusterConnection == null) {
			return this.connection.sync().pubsubNumsub(redisChannel).get(redisChannel);
		}
		RedisClusterNode owner = this.clusterConnection.getPartitions()
			.getMasterBySlot(SlotHash.getSlot(redisChannel));
		return this.clusterConnection.sync()
			.getConnection(owner.getNodeId())
			.pubsubShardNumsub(redisChannel)
			.get(redisChannel);
	}

	void publish(String redisChannel, String message) {
		if (this.clusterConnection != null) {
			this.clusterConnection.sync().spublish(redisChannel, message);
		}
		else {
			this.connection.sync().publish(redisChannel, message);
		}
	}

	/**
	 * CLIENT KILL every connection of that name on every server.
	 * @param name the client name
	 * @return how many were killed
	 */
	public long killConnectionsNamed(String name) {
		long killed = 0;
		for (RedisClusterCommands<String, String> server : servers()) {
			List<Long> ids = new ArrayList<>();
			for (String line : server.clientList().split("\n")) {
				if (line.contains(" name=" + name + " ")) {
					for (String part : line.split(" ")) {
						if (part.startsWith("id=")) {
							ids.add(Long.parseLong(part.substring(3)));
						}
					}
				}
			}
			for (long id : ids) {
				killed += server.clientKill(KillArgs.Builder.id(id));
			}
		}
		return killed;
	}

	/**
	 * Delete every key under a prefix ({@code prefix:*}), on every primary.
	 * @param prefix the key prefix
	 */
	public void deleteKeys(String prefix) {
		for (RedisClusterCommands<String, String> server : primaries()) {
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = server.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
				for (String key : page.getKeys()) {
					server.del(key);
				}
				cursor = page;
			}
			while (!cursor.isFinished());
		}
	}

	private List<RedisClusterCommands<String, String>> servers() {
		if (this.clusterConnection == null) {
			return List.of(this.connection.sync());
		}
		List<RedisClusterCommands<String, String>> servers = new ArrayList<>();
		for (RedisClusterNode node : this.clusterConnection.getPartitions()) {
			if (node.isConnected() || !node.is(RedisClusterNode.NodeFlag.FAIL)) {
				try {
					servers.add(this.clusterConnection.sync().getConnection(node.getNodeId()));
				}
				catch (RuntimeException ex) {
					// A node killed by the test.
				}
			}
		}
		return servers;
	}

	private List<RedisClusterCommands<String, String>> primaries() {
		if (this.clusterConnection == null) {
			return List.of(this.connection.sync());
		}
		List<RedisClusterCommands<String, String>> primaries = new ArrayList<>();
		for (RedisClusterNode node : this.clusterConnection.getPartitions()) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
				primaries.add(this.clusterConnection.sync().getConnection(node.getNodeId()));
			}
		}
		return primaries;
	}

	@Override
	public void close() {
		if (this.clusterConnection != null) {
			this.clusterConnection.close();
			this.clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
		else {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

}
