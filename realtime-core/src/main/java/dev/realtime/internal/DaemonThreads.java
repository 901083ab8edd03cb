package dev.realtime.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
	 * An executor with a virtual thread per task when virtual threads exist, else a cached
	 * pool. Its threads do not inherit the submitting thread's inheritable thread locals:
	 * nothing run there needs them, and copying them for each task (a Netty event loop
	 * submits one per HTTP API request) cost 5 % of a busy server's CPU.
	 * @param name the thread name prefix
	 * @return the executor; the caller shuts it down
	 */
	public static ExecutorService newBlockingTaskExecutor(String name) {
		try {
			// Thread.ofVirtual().name(name + "-", 1).inheritInheritableThreadLocals(false).factory(),
			// by reflection: the code is compiled for Java 17.
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			Object virtual = Thread.class.getMethod("ofVirtual").invoke(null);
			virtual = builder.getMethod("name", String.class, long.class).invoke(virtual, name + "-", 1L);
			virtual = builder.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(virtual, false);
			ThreadFactory factory = (ThreadFactory) builder.getMethod("factory").invoke(virtual);
			return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
				.invoke(null, factory);
		}
		catch (ReflectiveOperationException ex) {
			return Executors.newCachedThreadPool(factory(name));
		}
	}

	/**
	 * A pool for short tasks that may now and then block on a socket: an async-mode
	 * {@link ForkJoinPool} with one thread per core, which hands work between threads
	 * without locks or a wake-up per task when busy. A task that blocks must do so inside
	 * {@link ForkJoinPool#managedBlock}, so the pool adds a spare thread (up to
	 * {@code maxThreads}) instead of letting one slow socket hold a core's worth of
	 * writers.
	 * @param name the thread name prefix
	 * @param maxThreads the most threads, spares included
	 * @return the pool; the caller shuts it down
	 */
	public static ForkJoinPool newWriterPool(String name, int maxThreads) {
		int parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
		AtomicInteger counter = new AtomicInteger();
		ForkJoinPool.ForkJoinWorkerThreadFactory factory = (pool) -> {
			ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
			thread.setName(name + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ForkJoinPool(parallelism, factory, null, true, 0, Math.max(parallelism, maxThreads), 1,
				(pool) -> true, 60, TimeUnit.SECONDS);
	}

	/**
	 * A factory of daemon threads named {@code name-1}, {@code name-2}, ..., which do not
	 * inherit the creating thread's inheritable thread locals.
	 * @param name the prefix
	 * @return the factory
	 */
	public static ThreadFactory factory(String name) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(null, runnable, name + "-" + counter.incrementAndGet(), 0, false);
			thread.setDaemon(true);
			return thread;
		};
	}

}
