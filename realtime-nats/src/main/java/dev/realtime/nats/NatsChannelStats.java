package dev.realtime.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.ChannelStats;
import dev.realtime.Member;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;

/**
 * Channel counts for the whole cluster: each node writes its subscription counts to its
 * key in the {@code {prefix}-counts} bucket every
 * {@linkplain NatsEngineConfig#statsInterval() stats interval} when they changed (and at
 * least every third of the node TTL, since entries expire after it, so a dead node's
 * counts vanish with it), and reads the other nodes' at the same pace. A query answers
 * this node's live counts plus the other nodes' last written ones; presence users come
 * from the cluster roster.
 */
public final class NatsChannelStats implements ChannelStats, AutoCloseable {

	static final String COUNTS = "counts";

	private final NatsConnection connection;

	private final ChannelStats local;

	private final NatsPresence presence;

	private final String nodeKey;

	private final long refreshMillis;

	private final ScheduledFuture<?> ticks;

	private volatile Map<String, Integer> remote = Map.of();

	private Map<String, Integer> lastWritten = Map.of();

	private long lastWrite;

	/**
	 * Cluster counts over the given connection.
	 * @param connection the node's NATS connection
	 * @param local this node's hub's statistics
	 * @param presence the cluster presence, for the users of presence channels
	 */
	public NatsChannelStats(NatsConnection connection, ChannelStats local, NatsPresence presence) {
		this.connection = connection;
		this.local = local;
		this.presence = presence;
		NatsEngineConfig config = connection.config();
		this.nodeKey = Subjects.key(config.nodeId());
		this.refreshMillis = Math.max(100, config.nodeTtl().toMillis() / 3);
		connection.bucket(COUNTS, config.nodeTtl());
		long period = config.statsInterval().toMillis();
		this.ticks = connection.scheduler().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public int subscriptionCount(String channel) {
		requireUp();
		return this.local.subscriptionCount(channel) + this.remote.getOrDefault(channel, 0);
	}

	@Override
	public Map<String, Integer> occupiedChannels() {
		requireUp();
		Map<String, Integer> counts = new TreeMap<>(this.remote);
		this.local.occupiedChannels().forEach((channel, count) -> counts.merge(channel, count, Integer::sum));
		counts.values().removeIf((count) -> count <= 0);
		return counts;
	}

	@Override
	public List<String> users(String channel) {
		return this.presence.members(channel).stream().map(Member::id).toList();
	}

	/**
	 * Stop writing; this node's counts expire with the node TTL (or are removed now if
	 * NATS is reachable).
	 */
	@Override
	public void close() {
		this.ticks.cancel(false);
		if (this.connection.isUp()) {
			try {
				this.connection.keyValue(COUNTS).delete(this.nodeKey);
			}
			catch (IOException | JetStreamApiException | RuntimeException ex) {
				// Expires with the node TTL.
			}
		}
	}

	private void requireUp() {
		if (!this.connection.isUp()) {
			throw new IllegalStateException("NATS is unreachable: cluster counts are unknown");
		}
	}

	private void tick() {
		if (!this.connection.isUp()) {
			return;
		}
		try {
			KeyValue counts = this.connection.keyValue(COUNTS);
			Map<String, Integer> mine = this.local.occupiedChannels();
			long now = System.nanoTime();
			if (!mine.equals(this.lastWritten) || TimeUnit.NANOSECONDS.toMillis(now - this.lastWrite) >= this.refreshMillis) {
				counts.put(this.nodeKey, encode(mine));
				this.lastWritten = mine;
				this.lastWrite = now;
			}
			Map<String, Integer> others = new HashMap<>();
			for (String key : counts.keys()) {
				if (key.equals(this.nodeKey)) {
					continue;
				}
				KeyValueEntry entry = counts.get(key);
				if (entry != null && entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null) {
					decode(entry.getValue()).forEach((channel, count) -> others.merge(channel, count, Integer::sum));
				}
			}
			this.remote = others;
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			this.connection.recordError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** {@code <count> <channel>} lines: channel names never hold a line break. */
	private static byte[] encode(Map<String, Integer> counts) {
		StringBuilder text = new StringBuilder();
		counts.forEach((channel, count) -> text.append(count).append(' ').append(channel).append('\n'));
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static Map<String, Integer> decode(byte[] bytes) {
		Map<String, Integer> counts = new HashMap<>();
		for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
			int space = line.indexOf(' ');
			if (space > 0) {
				try {
					counts.put(line.substring(space + 1), Integer.parseInt(line.substring(0, space)));
				}
				catch (NumberFormatException ex) {
					// Not ours: skip the line.
				}
			}
		}
		return counts;
	}

}
