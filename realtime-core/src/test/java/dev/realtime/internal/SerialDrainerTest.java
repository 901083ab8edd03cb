package dev.realtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static dev.realtime.Waits.await;

/**
 * Tests for {@link SerialDrainer}.
 */
class SerialDrainerTest {

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	/**
	 * Many threads signal while items arrive: the step never runs on two threads at once,
	 * and no item is left behind (no lost wake-up).
	 */
	@RepeatedTest(10)
	void neverDrainsOnTwoThreadsAtOnceAndLosesNoWakeUp() throws Exception {
		BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(1 << 16);
		AtomicInteger running = new AtomicInteger();
		AtomicBoolean overlap = new AtomicBoolean();
		AtomicLong drained = new AtomicLong();
		SerialDrainer drainer = new SerialDrainer(this.executor, () -> {
			if (running.incrementAndGet() != 1) {
				overlap.set(true);
			}
			drained.addAndGet(queue.drain((item) -> {
			}, Integer.MAX_VALUE));
			Thread.yield();
			running.decrementAndGet();
		}, 2);
		int threads = 4;
		int perThread = 5_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> signallers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < perThread; i++) {
					queue.offer(i);
					drainer.signal();
				}
			});
			thread.start();
			signallers.add(thread);
		}
		start.countDown();
		for (Thread thread : signallers) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		await().until(() -> drained.get() == threads * perThread);
		await().until(() -> !drainer.isActive());
		assertThat(overlap).isFalse();
		assertThat(queue.isEmpty()).isTrue();
	}

	@Test
	void aSignalDuringADrainRunsOneMorePass() throws Exception {
		CountDownLatch inFirstPass = new CountDownLatch(1);
		CountDownLatch releaseFirstPass = new CountDownLatch(1);
		AtomicInteger passes = new AtomicInteger();
		SerialDrainer drainer = new SerialDrainer(this.executor, () -> {
			if (passes.incrementAndGet() == 1) {
				inFirstPass.countDown();
				awaitQuietly(releaseFirstPass);
			}
		}, 8);
		drainer.signal();
		assertThat(inFirstPass.await(10, TimeUnit.SECONDS)).isTrue();
		drainer.signal();
		drainer.signal();
		assertThat(drainer.isActive()).isTrue();
		releaseFirstPass.countDown();
		await().until(() -> !drainer.isActive());
		// Two signals during the pass are served by one more pass, not two.
		assertThat(passes).hasValue(2);
	}

	@Test
	void givesTheThreadBackAfterPassesPerRun() {
		List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger remaining = new AtomicInteger(10);
		SerialDrainer[] drainer = new SerialDrainer[1];
		List<Runnable> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.Executor recording = (task) -> {
			submitted.add(task);
			this.executor.execute(task);
		};
		drainer[0] = new SerialDrainer(recording, () -> {
			threads.add(Thread.currentThread());
			if (remaining.decrementAndGet() > 0) {
				drainer[0].signal();
			}
		}, 3);
		drainer[0].signal();
		await().until(() -> remaining.get() <= 0 && !drainer[0].isActive());
		assertThat(threads).hasSize(10);
		// 10 passes at 3 per run: scheduled 4 times.
		assertThat(submitted).hasSize(4);
	}

	@Test
	void drainsOnTheCallerWhenTheExecutorRejects() {
		ExecutorService shutDown = Executors.newSingleThreadExecutor();
		shutDown.shutdown();
		AtomicInteger passes = new AtomicInteger();
		SerialDrainer drainer = new SerialDrainer(shutDown, passes::incrementAndGet, 4);
		drainer.signal();
		assertThat(passes).hasValue(1);
		assertThat(drainer.isActive()).isFalse();
	}

	@Test
	void aStepThatThrowsDoesNotWedgeTheDrainer() {
		AtomicInteger passes = new AtomicInteger();
		SerialDrainer drainer = new SerialDrainer(Runnable::run, () -> {
			if (passes.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
		}, 4);
		assertThatIllegalStateException().isThrownBy(drainer::signal);
		assertThat(drainer.isActive()).isFalse();
		drainer.signal();
		assertThat(passes).hasValue(2);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
