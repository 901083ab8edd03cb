package dev.realtime.pusher;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the protocol version check, the rate limiter, the sweep period and UTF-8
 * sizes.
 */
class SmallPartsTests {

	@Test
	void protocolsFiveToSevenAreAccepted() {
		assertThat(PusherProtocol.check("5")).isEqualTo(5);
		assertThat(PusherProtocol.check("6")).isEqualTo(6);
		assertThat(PusherProtocol.check("7")).isEqualTo(7);
		for (String refused : new String[] { "4", "8", "x", "-7", "" + Long.MAX_VALUE }) {
			assertThatExceptionOfType(UnsupportedProtocolException.class)
				.isThrownBy(() -> PusherProtocol.check(refused))
				.satisfies((ex) -> assertThat(ex.code()).as(refused).isEqualTo(4007));
		}
		assertThatExceptionOfType(UnsupportedProtocolException.class).isThrownBy(() -> PusherProtocol.check(null))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(4008));
		assertThatExceptionOfType(UnsupportedProtocolException.class).isThrownBy(() -> PusherProtocol.check(""))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(4008));
	}

	@Test
	void versionSevenIsPingedWithTheEventOlderVersionsWithAWebSocketPing() {
		assertThat(PusherProtocol.ping(7)).isSameAs(PusherFrames.ping());
		assertThat(PusherProtocol.ping(6).isPing()).isTrue();
		assertThat(PusherProtocol.ping(5).isPing()).isTrue();
	}

	@Test
	void rateLimiterAllowsTheRateAndRefills() {
		long now = 0;
		RateLimiter limiter = new RateLimiter(2, now);
		assertThat(limiter.tryAcquire(now)).isTrue();
		assertThat(limiter.tryAcquire(now)).isTrue();
		assertThat(limiter.tryAcquire(now)).isFalse();
		assertThat(limiter.tryAcquire(now + 499_000_000L)).isFalse();
		assertThat(limiter.tryAcquire(now + 500_000_000L)).isTrue();
		assertThat(limiter.tryAcquire(now + 10_000_000_000L)).isTrue();
		assertThat(limiter.tryAcquire(now + 10_000_000_000L)).isTrue();
		assertThat(limiter.tryAcquire(now + 10_000_000_000L)).isFalse();
	}

	@Test
	void sweepPeriodIsATenthOfTheShorterTimeoutWithinBounds() {
		assertThat(ActivityMonitor.sweepPeriod(Duration.ofSeconds(120), Duration.ofSeconds(30)))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(ActivityMonitor.sweepPeriod(Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.isEqualTo(Duration.ofMillis(100));
		assertThat(ActivityMonitor.sweepPeriod(Duration.ofHours(1), Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
		assertThat(ActivityMonitor.sweepPeriod(Duration.ofMillis(100), Duration.ofMillis(100)))
			.isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void utf8LengthMatchesTheEncoder() {
		for (String text : new String[] { "", "abc", "é", "€uro", "😀 smile", "\ud800 lone" }) {
			assertThat(WebSocketConn.utf8Length(text)).as(text)
				.isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
		}
	}

}
