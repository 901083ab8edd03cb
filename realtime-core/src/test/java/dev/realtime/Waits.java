package dev.realtime;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility with a short poll interval and no initial delay: the default 100 ms first
 * poll would make the many small waits of these tests slow.
 */
public final class Waits {

	private Waits() {
	}

	/**
	 * Start a wait of at most 10 seconds, polling every 2 ms.
	 * @return the condition factory
	 */
	public static ConditionFactory await() {
		return Awaitility.await()
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(2))
			.atMost(Duration.ofSeconds(10));
	}

}
