package dev.realtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BoundedMpscQueue}.
 */
class BoundedMpscQueueTest {

	@Test
	void isFifoAndRefusesWhenFull() {
		BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(3);
		assertThat(queue.capacity()).isEqualTo(3);
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.poll()).isNull();
		assertThat(queue.offer(1)).isTrue();
		assertThat(queue.offer(2)).isTrue();
		assertThat(queue.offer(3)).isTrue();
		// The ring has 4 slots, but the capacity is 3.
		assertThat(queue.offer(4)).isFalse();
		assertThat(queue.size()).isEqualTo(3);
		assertThat(queue.poll()).isEqualTo(1);
		assertThat(queue.offer(5)).isTrue();
		assertThat(queue.offer(6)).isFalse();
		List<Integer> drained = new ArrayList<>();
		assertThat(queue.drain(drained::add, 2)).isEqualTo(2);
		assertThat(drained).containsExactly(2, 3);
		assertThat(queue.drain(drained::add, 10)).isEqualTo(1);
		assertThat(drained).containsExactly(2, 3, 5);
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.poll()).isNull();
	}

	@Test
	void wrapsAroundManyTimes() {
		BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(4);
		for (int i = 0; i < 10_000; i++) {
			assertThat(queue.offer(i)).isTrue();
			assertThat(queue.offer(-i)).isTrue();
			assertThat(queue.poll()).isEqualTo(i);
			assertThat(queue.poll()).isEqualTo(-i);
		}
		assertThat(queue.isEmpty()).isTrue();
	}

	@Test
	void capacityOfOne() {
		BoundedMpscQueue<String> queue = new BoundedMpscQueue<>(1);
		assertThat(queue.offer("a")).isTrue();
		assertThat(queue.offer("b")).isFalse();
		assertThat(queue.poll()).isEqualTo("a");
		assertThat(queue.offer("b")).isTrue();
	}

	@Test
	void rejectsCapacityBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BoundedMpscQueue<>(0));
	}

	/**
	 * Four producers and one consumer race on a small ring: nothing is lost or duplicated,
	 * each producer's elements come out in order, and the size never exceeds the capacity.
	 */
	@RepeatedTest(3)
	void manyProducersOneConsumer() throws Exception {
		int producers = 4;
		int perProducer = 25_000;
		int capacity = 100;
		BoundedMpscQueue<long[]> queue = new BoundedMpscQueue<>(capacity);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger rejected = new AtomicInteger();
		AtomicBoolean overCapacity = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			long producer = p;
			Thread thread = new Thread(() -> {
				await(start);
				for (long i = 0; i < perProducer; i++) {
					long[] element = { producer, i };
					while (!queue.offer(element)) {
						rejected.incrementAndGet();
						Thread.yield();
					}
					if (queue.size() > capacity) {
						overCapacity.set(true);
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		long[] next = new long[producers];
		int taken = 0;
		start.countDown();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		int maxSeen = 0;
		String outOfOrder = null;
		while (taken < producers * perProducer && System.nanoTime() < deadline) {
			maxSeen = Math.max(maxSeen, queue.size());
			long[] element = queue.poll();
			if (element == null) {
				Thread.yield();
				continue;
			}
			int producer = (int) element[0];
			if (element[1] != next[producer] && outOfOrder == null) {
				outOfOrder = "producer " + producer + ": expected " + next[producer] + ", got " + element[1];
			}
			next[producer] = element[1] + 1;
			taken++;
		}
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		assertThat(outOfOrder).isNull();
		assertThat(taken).isEqualTo(producers * perProducer);
		assertThat(next).containsOnly(perProducer);
		assertThat(queue.poll()).isNull();
		assertThat(queue.isEmpty()).isTrue();
		assertThat(overCapacity).isFalse();
		assertThat(maxSeen).isLessThanOrEqualTo(capacity);
		// The consumer was slower at times: the bound was actually exercised.
		assertThat(rejected.get()).isPositive();
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
