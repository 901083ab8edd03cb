package dev.realtime.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Sums over the other live nodes' hashes ({@link RedisKeys#nodeSubscriptions subscription
 * counts}, {@link RedisKeys#nodeConnections connection counts}): the registry first, then
 * each node's hash, pipelined. Each node's keys are in its own slot, so on a cluster these
 * are reads of several shards, not one script.
 */
final class LiveNodes {

	private final RedisKeys keys;

	private final String self;

	LiveNodes(RedisKeys keys, String self) {
		this.keys = keys;
		this.self = self;
	}

	/** The ids of the live nodes other than this one. */
	CompletableFuture<List<String>> others(RedisClusterAsyncCommands<String, String> commands) {
		return PresenceScripts.LIVE_NODES.run(commands, new String[] { this.keys.nodes() }, this.self);
	}

	/** One field summed over the other live nodes' hashes. */
	CompletableFuture<Long> sumField(RedisClusterAsyncCommands<String, String> commands,
			Function<String, String> hashOfNode, String field) {
		return others(commands).thenCompose((nodes) -> {
			List<CompletableFuture<String>> values = new ArrayList<>(nodes.size());
			for (String node : nodes) {
				values.add(commands.hget(hashOfNode.apply(node), field).toCompletableFuture());
			}
			return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenApply((done) -> {
				long sum = 0;
				for (CompletableFuture<String> value : values) {
					String count = value.join();
					sum += (count != null) ? Long.parseLong(count) : 0;
				}
				return sum;
			});
		});
	}

	/** Every field summed over the other live nodes' hashes. */
	CompletableFuture<Map<String, Long>> sumHashes(RedisClusterAsyncCommands<String, String> commands,
			Function<String, String> hashOfNode) {
		return others(commands).thenCompose((nodes) -> {
			List<CompletableFuture<Map<String, String>>> hashes = new ArrayList<>(nodes.size());
			for (String node : nodes) {
				hashes.add(commands.hgetall(hashOfNode.apply(node)).toCompletableFuture());
			}
			return CompletableFuture.allOf(hashes.toArray(CompletableFuture[]::new)).thenApply((done) -> {
				Map<String, Long> sums = new HashMap<>();
				for (CompletableFuture<Map<String, String>> hash : hashes) {
					hash.join().forEach((name, count) -> sums.merge(name, Long.parseLong(count), Long::sum));
				}
				return sums;
			});
		});
	}

}
