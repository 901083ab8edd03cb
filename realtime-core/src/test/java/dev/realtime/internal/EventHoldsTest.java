package dev.realtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventHolds}.
 */
class EventHoldsTest {

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final AtomicInteger overflows = new AtomicInteger();

	private final EventHolds holds = new EventHolds((event) -> this.delivered.add(event.payload()), 3,
			this.overflows::incrementAndGet);

	private void arrive(String channel, String payload) {
		this.holds.offer(new Event(channel, "e", payload));
	}

	@Test
	void withoutAHoldEventsGoThroughAtOnce() {
		arrive("c", "1");
		assertThat(this.delivered).containsExactly("1");
	}

	@Test
	void aHoldKeepsItsChannelsEventsInOrderUntilReleasedAndOnlyThatChannels() {
		EventHolds.Hold hold = this.holds.hold("c");
		arrive("c", "1");
		arrive("other", "x");
		arrive("c", "2");
		assertThat(this.delivered).containsExactly("x");
		hold.release();
		hold.release();
		arrive("c", "3");
		assertThat(this.delivered).containsExactly("x", "1", "2", "3");
	}

	@Test
	void overlappingHoldsKeepBackOnlyWhatArrivedWhileAnEarlierHoldWasUp() {
		EventHolds.Hold first = this.holds.hold("c");
		arrive("c", "1");
		EventHolds.Hold second = this.holds.hold("c");
		arrive("c", "2");
		first.release();
		// "1" arrived before the second hold: that join's roster had it already.
		assertThat(this.delivered).containsExactly("1");
		EventHolds.Hold third = this.holds.hold("c");
		second.release();
		assertThat(this.delivered).containsExactly("1", "2");
		arrive("c", "3");
		assertThat(this.delivered).containsExactly("1", "2");
		third.release();
		assertThat(this.delivered).containsExactly("1", "2", "3");
	}

	@Test
	void aLaterHoldReleasedFirstDeliversNothingTheEarlierOneKeeps() {
		EventHolds.Hold first = this.holds.hold("c");
		arrive("c", "1");
		EventHolds.Hold second = this.holds.hold("c");
		second.release();
		assertThat(this.delivered).isEmpty();
		first.release();
		assertThat(this.delivered).containsExactly("1");
	}

	@Test
	void pastTheBoundTheOldestGoesEarlyAndIsCountedNeverLost() {
		EventHolds.Hold hold = this.holds.hold("c");
		for (int i = 1; i <= 5; i++) {
			arrive("c", Integer.toString(i));
		}
		assertThat(this.delivered).containsExactly("1", "2");
		assertThat(this.overflows).hasValue(2);
		hold.release();
		assertThat(this.delivered).containsExactly("1", "2", "3", "4", "5");
	}

	@RepeatedTest(20)
	void racingHoldsAndArrivalsLoseNothingAndKeepTheOrder() throws Exception {
		EventHolds unbounded = new EventHolds((event) -> this.delivered.add(event.payload()), Integer.MAX_VALUE,
				this.overflows::incrementAndGet);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		try {
			// One arriving thread (events of a channel arrive in order, on one thread) and
			// three joining threads that hold and release.
			threads.execute(() -> {
				await(start);
				for (int i = 0; i < 2000; i++) {
					unbounded.offer(new Event("c", "e", Integer.toString(i)));
				}
			});
			for (int t = 0; t < 3; t++) {
				threads.execute(() -> {
					await(start);
					for (int i = 0; i < 500; i++) {
						unbounded.hold("c").release();
					}
				});
			}
			start.countDown();
		}
		finally {
			threads.shutdown();
			assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
		}
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			expected.add(Integer.toString(i));
		}
		assertThat(this.delivered).containsExactlyElementsOf(expected);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
