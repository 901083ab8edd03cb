package dev.realtime.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a drain step on an executor so that at most one thread drains at a time, however
 * many threads signal. A signal that arrives while a drain runs makes that drain go round
 * once more instead of scheduling a second one, so a busy queue is emptied in few
 * wake-ups with several items per pass.
 * <p>
 * A drain that keeps finding work yields its thread after {@code passesPerRun} passes and
 * goes to the back of the executor's queue, so one flooded queue cannot hold a pooled
 * thread forever.
 */
public final class SerialDrainer implements Runnable {

	/**
	 * One pass of draining.
	 */
	@FunctionalInterface
	public interface Step {

		/**
		 * Drain what is visible now.
		 */
		void drain();

	}

	private final AtomicInteger signals = new AtomicInteger();

	private final Executor executor;

	private final Step step;

	private final int passesPerRun;

	/**
	 * Create a drainer.
	 * @param executor runs the drain
	 * @param step one pass of draining
	 * @param passesPerRun the most passes before the thread is given back
	 */
	public SerialDrainer(Executor executor, Step step, int passesPerRun) {
		this.executor = executor;
		this.step = step;
		this.passesPerRun = passesPerRun;
	}

	/**
	 * Make sure a drain runs after this call. Never blocks; cheap when one already runs.
	 */
	public void signal() {
		if (this.signals.getAndIncrement() == 0) {
			schedule();
		}
	}

	/**
	 * Whether a drain is scheduled or running; a snapshot.
	 * @return {@code true} if so
	 */
	public boolean isActive() {
		return this.signals.get() != 0;
	}

	@Override
	public void run() {
		int missed = this.signals.get();
		for (int pass = 0; pass < this.passesPerRun; pass++) {
			try {
				this.step.drain();
			}
			catch (RuntimeException | Error ex) {
				// Settle the signals this pass consumed before rethrowing: otherwise the
				// count stays non-zero and no later signal ever schedules a drain again.
				if (this.signals.addAndGet(-missed) != 0) {
					schedule();
				}
				throw ex;
			}
			missed = this.signals.addAndGet(-missed);
			if (missed == 0) {
				return;
			}
		}
		schedule();
	}

	private void schedule() {
		try {
			this.executor.execute(this);
		}
		catch (RejectedExecutionException ex) {
			// The executor is shutting down: drain on this thread (still the only drainer,
			// as the signal count stays non-zero) so nothing queued is stranded.
			run();
		}
	}

}
