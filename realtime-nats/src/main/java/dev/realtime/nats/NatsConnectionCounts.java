package dev.realtime.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import org.jspecify.annotations.Nullable;

/**
 * Connections per app across the cluster, for app connection quotas: every
 * {@linkplain NatsEngineConfig#statsInterval() stats interval} a node writes its own
 * counts to its key in the {@code {prefix}-conns} bucket (when they changed, and at least
 * every third of the node TTL, since entries expire after it, so a dead node's counts
 * vanish with it), reads the other nodes' entries, and hands their sums per app to
 * {@code elsewhere}. Admitting a connection therefore never waits for NATS, and quotas
 * are approximate: counts are up to an interval (plus a read) old.
 * <p>
 * While NATS is unreachable the last sums stand for one node TTL after the last read
 * (a short outage does not open every quota), then the node counts only its own
 * connections, as the other nodes stop counting it once its entry expired. After a
 * reconnect the node writes its counts at once and reads the others' again.
 */
public final class NatsConnectionCounts implements AutoCloseable {

	static final String CONNS = "conns";

	private final NatsConnection connection;

	private final Supplier<Map<String, Integer>> local;

	private final Consumer<Map<String, Integer>> elsewhere;

	private final String nodeKey;

	private final long refreshNanos;

	private final long ttlNanos;

	private final ScheduledFuture<?> ticks;

	/** Set after every (re)connect: the bucket may have lost this node's entry. */
	private volatile boolean rewrite = true;

	private @Nullable Map<String, Integer> lastWritten;

	private long lastWrite;

	/** When the other nodes' counts were last read, in {@link System#nanoTime()}; 0 for never or forgotten. */
	private long lastRead;

	/**
	 * Start sharing the counts over the given connection.
	 * @param connection the node's NATS connection
	 * @param local this node's connections per app id
	 * @param elsewhere told the other nodes' connections per app id after each exchange
	 * (on the connection's scheduler)
	 */
	public NatsConnectionCounts(NatsConnection connection, Supplier<Map<String, Integer>> local,
			Consumer<Map<String, Integer>> elsewhere) {
		this.connection = connection;
		this.local = local;
		this.elsewhere = elsewhere;
		NatsEngineConfig config = connection.config();
		this.nodeKey = Subjects.key(config.nodeId());
		this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(100, config.nodeTtl().toMillis() / 3));
		this.ttlNanos = config.nodeTtl().toNanos();
		connection.bucket(CONNS, config.nodeTtl());
		connection.onConnected(() -> this.rewrite = true);
		long period = config.statsInterval().toMillis();
		this.ticks = connection.scheduler().scheduleWithFixedDelay(this::exchange, 0, period, TimeUnit.MILLISECONDS);
	}

	/** On the scheduler: write this node's counts, read the others'. */
	void exchange() {
		long now = System.nanoTime();
		if (!this.connection.isUp()) {
			forgetIfStale(now);
			return;
		}
		try {
			KeyValue conns = this.connection.keyValue(CONNS);
			Map<String, Integer> mine = new TreeMap<>(this.local.get());
			mine.values().removeIf((count) -> count <= 0);
			if (this.rewrite || !mine.equals(this.lastWritten) || now - this.lastWrite >= this.refreshNanos) {
				this.rewrite = false;
				try {
					conns.put(this.nodeKey, encode(mine));
				}
				catch (IOException | JetStreamApiException | RuntimeException ex) {
					this.rewrite = true;
					throw ex;
				}
				this.lastWritten = mine;
				this.lastWrite = now;
			}
			Map<String, Integer> others = new HashMap<>();
			for (String key : conns.keys()) {
				if (key.equals(this.nodeKey)) {
					continue;
				}
				KeyValueEntry entry = conns.get(key);
				if (entry != null && entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null) {
					decode(entry.getValue()).forEach((app, count) -> others.merge(app, count, Integer::sum));
				}
			}
			this.lastRead = now;
			this.elsewhere.accept(others);
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			this.connection.recordError(ex);
			forgetIfStale(now);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Once the others' counts are older than a node TTL, they are unknown: the other nodes
	 * have stopped counting this one too, and refusing on counts that may all have closed
	 * meanwhile would keep an app out for as long as NATS is away.
	 */
	private void forgetIfStale(long now) {
		if (this.lastRead != 0 && now - this.lastRead > this.ttlNanos) {
			this.lastRead = 0;
			this.elsewhere.accept(Map.of());
		}
	}

	/**
	 * Stop sharing and remove this node's counts. The removal runs on the scheduler, after
	 * an exchange that may be running, so that it cannot write them back; when NATS is
	 * unreachable the entry expires with the node TTL.
	 */
	@Override
	public void close() {
		this.ticks.cancel(false);
		try {
			this.connection.scheduler()
				.submit(this::removeCounts)
				.get(this.connection.config().requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// The connection closed first, or NATS did not answer: the entry expires anyway.
		}
	}

	private boolean removeCounts() throws IOException, JetStreamApiException {
		if (!this.connection.isUp()) {
			return false;
		}
		this.connection.keyValue(CONNS).delete(this.nodeKey);
		return true;
	}

	/**
	 * {@code <count> <app id>} lines, the app id in URL-safe Base64: app ids may hold any
	 * character.
	 */
	static byte[] encode(Map<String, Integer> counts) {
		StringBuilder text = new StringBuilder();
		counts.forEach((app, count) -> text.append(count).append(' ').append(Subjects.key(app)).append('\n'));
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	static Map<String, Integer> decode(byte[] bytes) {
		Map<String, Integer> counts = new HashMap<>();
		for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
			int space = line.indexOf(' ');
			if (space > 0) {
				try {
					counts.merge(Subjects.fromKey(line.substring(space + 1)),
							Integer.parseInt(line.substring(0, space)), Integer::sum);
				}
				catch (IllegalArgumentException ex) {
					// Not ours (NumberFormatException included): skip the line.
				}
			}
		}
		return counts;
	}

}
