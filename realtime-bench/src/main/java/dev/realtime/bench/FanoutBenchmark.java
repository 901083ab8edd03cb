package dev.realtime.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.SlowConsumerPolicy;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link Hub#broadcast} to a channel with 1, 100 or 10,000 in-memory subscribers:
 * the real path from the broadcast through each subscriber's bounded outbox and serial
 * drainer to {@code Conn.sendAll} on a connection that only counts.
 * <p>
 * {@code writers=direct} runs the writers on the broadcasting thread (a direct executor),
 * so the whole path, enqueue, drain and write, runs on one core and the score times the
 * subscriber count is deliveries per second per core. {@code writers=default} uses the
 * hub's own writer executor (virtual threads on 21+, a cached thread pool on 17) and
 * {@code writers=forkjoin} an asynchronous-mode {@link ForkJoinPool} with one worker per
 * core: the benchmark thread only enqueues and wakes writers running on other threads.
 * Full outboxes drop frames ({@link SlowConsumerPolicy#DROP_MESSAGE}); the {@code written}
 * and {@code dropped} counters show how many frames really reached a connection and how
 * many were dropped, per second.
 * <p>
 * One op is one broadcast: divide {@code gc.alloc.rate.norm} by the subscriber count for
 * bytes per delivery.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class FanoutBenchmark {

	static final String CHANNEL = "orders";

	/** A typical Pusher event as the protocol layer would encode it once per broadcast. */
	static final String MESSAGE = "{\"event\":\"App\\\\Events\\\\OrderShipped\",\"channel\":\"orders\","
			+ "\"data\":\"{\\\"id\\\":42,\\\"status\\\":\\\"shipped\\\"}\"}";

	@Param({ "1", "100", "10000" })
	int subscribers;

	@Param({ "direct", "default", "forkjoin" })
	String writers;

	/** Whether the hub samples outbox waits ({@code realtime.outbox.wait}), as with Micrometer. */
	@Param({ "off", "on" })
	String outboxWait;

	final LongAdder outboxWaitSamples = new LongAdder();

	Hub hub;

	@Nullable ExecutorService pool;

	CountingConn[] conns;

	Frame frame;

	/**
	 * Build the hub and subscribe the connections.
	 */
	@Setup(Level.Trial)
	public void setUp() {
		HubConfig.Builder config = HubConfig.builder().slowConsumerPolicy(SlowConsumerPolicy.DROP_MESSAGE);
		switch (this.writers) {
			case "direct" -> config.writerExecutor(Runnable::run);
			case "default" -> config.writerExecutor(null);
			case "forkjoin" -> {
				this.pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
						ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
				config.writerExecutor(this.pool);
			}
			default -> throw new IllegalArgumentException("Unknown writers: " + this.writers);
		}
		if (this.outboxWait.equals("on")) {
			config.outboxWaitRecorder((nanos) -> this.outboxWaitSamples.increment());
		}
		this.hub = new Hub(config.build());
		this.conns = new CountingConn[this.subscribers];
		for (int i = 0; i < this.subscribers; i++) {
			this.conns[i] = new CountingConn();
			this.hub.subscribe(this.hub.add(this.conns[i]), CHANNEL);
		}
		this.frame = Frame.text(MESSAGE);
	}

	/**
	 * The hub is not closed: closing makes every subscriber leave the channel, and each leave
	 * copies the channel's subscriber array, so with 10,000 subscribers closing allocates
	 * hundreds of megabytes, which the GC profiler charges to the last measured iteration.
	 * Writer threads are daemons and end with the forked JVM.
	 */
	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.pool != null) {
			this.pool.shutdown();
		}
	}

	/**
	 * One broadcast to every subscriber.
	 * @param deliveries the counters; taking them as a parameter is what makes JMH report them
	 * @return how many subscribers the frame was queued for
	 */
	@Benchmark
	public int broadcast(Deliveries deliveries) {
		return this.hub.broadcast(CHANNEL, this.frame);
	}

	long written() {
		long sum = 0;
		for (CountingConn conn : this.conns) {
			sum += conn.frames();
		}
		return sum;
	}

	/**
	 * Frames written to connections and dropped on full outboxes during an iteration,
	 * reported by JMH as rates next to the broadcast score.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Deliveries {

		/** Frames handed to {@code Conn.sendAll}. */
		public long written;

		/** Frames dropped because an outbox was full. */
		public long dropped;

		private long writtenBefore;

		private long droppedBefore;

		/**
		 * Remember where the counts stand before the iteration.
		 * @param benchmark the benchmark state
		 */
		@Setup(Level.Iteration)
		public void start(FanoutBenchmark benchmark) {
			this.written = 0;
			this.dropped = 0;
			this.writtenBefore = benchmark.written();
			this.droppedBefore = benchmark.hub.dropped();
		}

		/**
		 * Record what the iteration wrote and dropped.
		 * @param benchmark the benchmark state
		 */
		@TearDown(Level.Iteration)
		public void stop(FanoutBenchmark benchmark) {
			this.written = benchmark.written() - this.writtenBefore;
			this.dropped = benchmark.hub.dropped() - this.droppedBefore;
		}

	}

}
