package dev.realtime.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for work that may block on I/O: virtual threads where the JVM has them
 * (21+), else a cached pool of daemon threads, so one task blocked on a slow socket never
 * holds up the others.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * An executor with a thread per task when virtual threads exist, else a cached pool.
	 * @param name the thread name prefix for the platform-thread fallback
	 * @return the executor; the caller shuts it down
	 */
	public static ExecutorService newBlockingTaskExecutor(String name) {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			return Executors.newCachedThreadPool(factory(name));
		}
	}

	/**
	 * A factory of daemon threads named {@code name-1}, {@code name-2}, ...
	 * @param name the prefix
	 * @return the factory
	 */
	public static ThreadFactory factory(String name) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
