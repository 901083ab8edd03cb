package dev.realtime.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MemoryChannelCache}.
 */
class MemoryChannelCacheTests {

	private final MutableClock clock = new MutableClock();

	private final MemoryChannelCache cache = new MemoryChannelCache(Duration.ofSeconds(30), this.clock);

	@Test
	void keepsTheLastEventPerChannel() {
		this.cache.put(new Event("cache-a", "e", "1"));
		this.cache.put(new Event("cache-a", "e", "2"));
		this.cache.put(new Event("cache-b", "e", "3"));
		assertThat(this.cache.get("cache-a").payload()).isEqualTo("2");
		assertThat(this.cache.get("cache-b").payload()).isEqualTo("3");
		assertThat(this.cache.get("cache-c")).isNull();
	}

	@Test
	void forgetsEventsOlderThanTheTtl() {
		this.cache.put(new Event("cache-a", "e", "1"));
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(this.cache.get("cache-a")).isNotNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.cache.get("cache-a")).isNull();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void aNewEventRestartsTheTtl() {
		this.cache.put(new Event("cache-a", "e", "1"));
		this.clock.advance(Duration.ofSeconds(20));
		this.cache.put(new Event("cache-a", "e", "2"));
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(this.cache.get("cache-a").payload()).isEqualTo("2");
	}

	@Test
	void sweepsExpiredEntriesAsItGrows() {
		for (int i = 0; i < 1000; i++) {
			this.cache.put(new Event("cache-old-" + i, "e", "x"));
		}
		this.clock.advance(Duration.ofMinutes(1));
		for (int i = 0; i < 1024; i++) {
			this.cache.put(new Event("cache-new-" + i, "e", "x"));
		}
		assertThat(this.cache.size()).isLessThanOrEqualTo(1024);
	}

	@Test
	void refusesANonPositiveTtl() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryChannelCache(Duration.ZERO, this.clock));
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
