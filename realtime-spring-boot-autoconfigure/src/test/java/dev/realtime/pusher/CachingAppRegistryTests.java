package dev.realtime.pusher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CachingAppRegistry} asks its registry once per time to live, misses included, and
 * keeps a bounded number of answers.
 */
class CachingAppRegistryTests {

	private final AtomicLong now = new AtomicLong();

	private final AtomicInteger lookups = new AtomicInteger();

	private volatile App b = new App("b", "key-b", "secret-b");

	private final AppRegistry store = new AppRegistry() {

		@Override
		public @Nullable App findByKey(String key) {
			CachingAppRegistryTests.this.lookups.incrementAndGet();
			return key.equals("key-b") ? CachingAppRegistryTests.this.b : null;
		}

		@Override
		public @Nullable App findById(String id) {
			CachingAppRegistryTests.this.lookups.incrementAndGet();
			return id.equals("b") ? CachingAppRegistryTests.this.b : null;
		}

		@Override
		public App defaultApp() {
			CachingAppRegistryTests.this.lookups.incrementAndGet();
			return new App("a", "key-a", "secret-a");
		}

	};

	private final CachingAppRegistry cache = new CachingAppRegistry(this.store, Duration.ofSeconds(10), 3,
			this.now::get);

	@Test
	void answersFromTheCacheWithinTheTimeToLiveAndAsksAgainAfter() {
		assertThat(this.cache.findByKey("key-b").secret()).isEqualTo("secret-b");
		this.b = new App("b", "key-b", "rotated");
		this.now.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(this.cache.findByKey("key-b").secret()).isEqualTo("secret-b");
		assertThat(this.lookups).hasValue(1);
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.cache.findByKey("key-b").secret()).isEqualTo("rotated");
		assertThat(this.lookups).hasValue(2);
	}

	@Test
	void remembersUnknownKeysSoRetriesDoNotReachTheStore() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.cache.findByKey("wrong")).isNull();
			assertThat(this.cache.findById("wrong")).isNull();
		}
		assertThat(this.lookups).hasValue(2);
	}

	@Test
	void keepsAtMostMaxEntriesAnswers() {
		for (String key : List.of("k1", "k2", "k3", "k4")) {
			this.cache.findByKey(key);
		}
		// The fourth answer started the cache afresh: k1 is asked again.
		this.cache.findByKey("k1");
		assertThat(this.lookups).hasValue(5);
	}

	@Test
	void cachesTheDefaultApp() {
		this.cache.defaultApp();
		this.cache.defaultApp();
		assertThat(this.lookups).hasValue(1);
	}

}
