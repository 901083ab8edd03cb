package dev.realtime.pusher;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageAllowanceTests {

	@Test
	void aBurstThenTheRateThenOneErrorPerSecondThenTheClose() {
		MessageAllowance allowance = new MessageAllowance(new ConnectionLimits(10, 5, 10, Duration.ZERO), 0);
		for (int i = 0; i < 10; i++) {
			assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.ALLOWED);
		}
		assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.REFUSED);
		for (int i = 0; i < 4; i++) {
			assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.REFUSED_QUIETLY);
		}
		assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.FLOOD);
		// Once: what still arrives while the connection closes is dropped quietly, and a
		// closing connection is not told again either.
		assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.REFUSED_QUIETLY);
		assertThat(allowance.take(5_000_000_000L + 1)).isEqualTo(MessageAllowance.Verdict.ALLOWED);
		for (int i = 0; i < 20; i++) {
			assertThat(allowance.take(5_000_000_000L + 1)).isNotEqualTo(MessageAllowance.Verdict.FLOOD)
				.isNotEqualTo(MessageAllowance.Verdict.REFUSED);
		}
	}

	@Test
	void tokensComeBackAtTheRate() {
		MessageAllowance allowance = new MessageAllowance(new ConnectionLimits(1, 5, 5, Duration.ZERO), 0);
		for (int i = 0; i < 5; i++) {
			allowance.take(0);
		}
		assertThat(allowance.take(0)).isEqualTo(MessageAllowance.Verdict.REFUSED);
		long twoHundredMillis = 200_000_000L;
		assertThat(allowance.take(twoHundredMillis)).isEqualTo(MessageAllowance.Verdict.ALLOWED);
		// A new window after a second: told again rather than closed.
		assertThat(allowance.take(twoHundredMillis)).isEqualTo(MessageAllowance.Verdict.REFUSED_QUIETLY);
		assertThat(allowance.take(1_300_000_000L + twoHundredMillis)).isEqualTo(MessageAllowance.Verdict.ALLOWED);
	}

}
