package dev.realtime.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DaemonThreads}.
 */
class DaemonThreadsTest {

	private static final InheritableThreadLocal<String> CONTEXT = new InheritableThreadLocal<>();

	/**
	 * A thread per task copies the submitting thread's inheritable thread locals unless told
	 * not to; on a Netty event loop submitting one task per HTTP API request that copy was
	 * 5 % of the server's CPU (BENCHMARKS.md). Nothing run there needs the caller's context.
	 */
	@Test
	void blockingTasksDoNotInheritTheSubmittersThreadLocals() throws Exception {
		ExecutorService executor = DaemonThreads.newBlockingTaskExecutor("test");
		CONTEXT.set("caller");
		try {
			String seen = executor.submit(CONTEXT::get).get(10, TimeUnit.SECONDS);
			assertThat(seen).isNull();
		}
		finally {
			CONTEXT.remove();
			executor.shutdown();
		}
	}

	@Test
	void blockingTasksRunOnDaemonOrVirtualThreads() throws Exception {
		ExecutorService executor = DaemonThreads.newBlockingTaskExecutor("test");
		try {
			assertThat(executor.submit(() -> Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			executor.shutdown();
		}
	}

	@Test
	void factoryThreadsAreNamedDaemonsThatDoNotInheritThreadLocals() throws Exception {
		CONTEXT.set("caller");
		try {
			String[] seen = new String[1];
			Thread thread = DaemonThreads.factory("named").newThread(() -> seen[0] = CONTEXT.get());
			assertThat(thread.getName()).isEqualTo("named-1");
			assertThat(thread.isDaemon()).isTrue();
			thread.start();
			thread.join(10_000);
			assertThat(seen[0]).isNull();
		}
		finally {
			CONTEXT.remove();
		}
	}

}
