package dev.realtime.pusher;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Remembers the answers of a slow {@link AppRegistry} (a database) for a while, so that a
 * connection or an HTTP API request is not a query each time. Unknown keys and ids are
 * remembered too, so a client retrying a wrong key cannot flood the store. An app changed
 * in the store is seen within the time to live (and its hub is rebuilt at the next
 * {@code realtime.app-hubs.refresh-interval}).
 * <p>
 * At most {@code maxEntries} answers per kind are kept; past that the cache starts afresh,
 * which costs a query per app once instead of memory without bound.
 */
public final class CachingAppRegistry implements AppRegistry {

	private final AppRegistry delegate;

	private final long ttlNanos;

	private final int maxEntries;

	private final LongSupplier nanoTime;

	private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();

	private volatile @Nullable Entry defaultApp;

	/**
	 * Cache a registry's answers.
	 * @param delegate the registry to ask on a miss
	 * @param ttl how long an answer is kept
	 * @param maxEntries most answers kept per kind (by key, by id)
	 */
	public CachingAppRegistry(AppRegistry delegate, Duration ttl, int maxEntries) {
		this(delegate, ttl, maxEntries, System::nanoTime);
	}

	CachingAppRegistry(AppRegistry delegate, Duration ttl, int maxEntries, LongSupplier nanoTime) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
			throw new IllegalArgumentException("ttl and maxEntries must be positive");
		}
		this.ttlNanos = ttl.toNanos();
		this.maxEntries = maxEntries;
		this.nanoTime = nanoTime;
	}

	@Override
	public @Nullable App findByKey(String key) {
		return cached(this.byKey, key, this.delegate::findByKey);
	}

	@Override
	public @Nullable App findById(String id) {
		return cached(this.byId, id, this.delegate::findById);
	}

	@Override
	public App defaultApp() {
		Entry entry = this.defaultApp;
		long now = this.nanoTime.getAsLong();
		if (entry == null || now - entry.loadedNanos() > this.ttlNanos) {
			entry = new Entry(Optional.of(this.delegate.defaultApp()), now);
			this.defaultApp = entry;
		}
		return entry.app().orElseThrow();
	}

	private @Nullable App cached(ConcurrentHashMap<String, Entry> cache, String name,
			Function<String, @Nullable App> load) {
		long now = this.nanoTime.getAsLong();
		Entry entry = cache.get(name);
		if (entry == null || now - entry.loadedNanos() > this.ttlNanos) {
			entry = new Entry(Optional.ofNullable(load.apply(name)), now);
			if (cache.size() >= this.maxEntries) {
				cache.clear();
			}
			cache.put(name, entry);
		}
		return entry.app().orElse(null);
	}

	private record Entry(Optional<App> app, long loadedNanos) {
	}

}
