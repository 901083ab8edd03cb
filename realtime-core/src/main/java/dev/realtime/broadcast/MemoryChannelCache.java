package dev.realtime.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ChannelCache} in this node's memory, for a single node. Entries older than the
 * time to live are dropped when read and swept out as the cache grows.
 */
public final class MemoryChannelCache implements ChannelCache {

	/** How often, in puts, expired entries are swept out. */
	private static final int SWEEP_EVERY = 1024;

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final Clock clock;

	private final long ttlMillis;

	private int putsSinceSweep;

	/**
	 * A cache keeping events for the given time.
	 * @param ttl how long an event is kept after it was published
	 * @param clock the clock
	 */
	public MemoryChannelCache(Duration ttl, Clock clock) {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be positive, got " + ttl);
		}
		this.ttlMillis = ttl.toMillis();
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public void put(Event event) {
		long now = this.clock.millis();
		this.entries.put(event.channel(), new Entry(event, now + this.ttlMillis));
		// A racy counter is fine: it only spaces out sweeps.
		if (++this.putsSinceSweep >= SWEEP_EVERY) {
			this.putsSinceSweep = 0;
			this.entries.values().removeIf((entry) -> entry.expiresAt() <= now);
		}
	}

	@Override
	public @Nullable Event get(String channel) {
		Entry entry = this.entries.get(channel);
		if (entry == null) {
			return null;
		}
		if (entry.expiresAt() <= this.clock.millis()) {
			this.entries.remove(channel, entry);
			return null;
		}
		return entry.event();
	}

	/**
	 * How many channels have an entry, expired ones included until swept.
	 * @return the count
	 */
	public int size() {
		return this.entries.size();
	}

	private record Entry(Event event, long expiresAt) {
	}

}
