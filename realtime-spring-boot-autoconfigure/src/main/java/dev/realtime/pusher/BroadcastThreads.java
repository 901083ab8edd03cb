package dev.realtime.pusher;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.realtime.internal.DaemonThreads;

/**
 * The threads that hand a broadcaster's events to the hub, kept apart so that shutdown
 * can wait for the events already received to be delivered.
 * <p>
 * Deliberately not an {@link Executor} itself: as a bean it would make Spring Boot's own
 * task executor back off.
 */
public final class BroadcastThreads implements AutoCloseable {

	private final ExecutorService executor = DaemonThreads.newBlockingTaskExecutor("realtime-broadcast");

	/**
	 * The executor to give the broadcaster.
	 * @return the executor
	 */
	public Executor executor() {
		return this.executor;
	}

	/**
	 * Take no new work and wait for the queued work to finish. Queued deliveries still run.
	 * @param timeout the longest wait
	 * @return {@code true} if everything finished in time
	 */
	public boolean shutdownAndAwait(Duration timeout) {
		this.executor.shutdown();
		try {
			return this.executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
