package dev.realtime.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baselines for {@code FanoutBenchmark}, with the same subscriber counts and the
 * same message, everything on the benchmark thread (compare with {@code writers=direct}).
 * One op is one publish to all subscribers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class FanoutBaselineBenchmark {

	private static final String CHANNEL = "orders";

	private static final String EVENT = "App\\\\Events\\\\OrderShipped";

	private static final String DATA = "{\\\"id\\\":42,\\\"status\\\":\\\"shipped\\\"}";

	private static final byte[] MESSAGE = ("{\"event\":\"" + EVENT + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\""
			+ DATA + "\"}").getBytes(StandardCharsets.UTF_8);

	@Param({ "1", "100", "10000" })
	int subscribers;

	PerSubscriberEncodingBroker perSubscriberEncoding;

	ConcurrentQueueBroker concurrentQueues;

	/**
	 * Subscribe the same number of subscribers to both brokers.
	 */
	@Setup(Level.Trial)
	public void setUp() {
		this.perSubscriberEncoding = new PerSubscriberEncodingBroker();
		this.concurrentQueues = new ConcurrentQueueBroker();
		for (int i = 0; i < this.subscribers; i++) {
			this.perSubscriberEncoding.subscribe(CHANNEL, new PerSubscriberEncodingBroker.Subscriber("sub-" + i));
			this.concurrentQueues.subscribe(CHANNEL, new ConcurrentQueueBroker.Subscriber());
		}
	}

	/**
	 * Spring-style: a message built and encoded per subscriber, sent synchronously.
	 * @return how many subscribers it was sent to
	 */
	@Benchmark
	public int perSubscriberEncoding() {
		return this.perSubscriberEncoding.publish(CHANNEL, EVENT, DATA);
	}

	/**
	 * One shared message through a {@code ConcurrentLinkedQueue} per subscriber.
	 * @return how many subscribers it was queued for
	 */
	@Benchmark
	public int concurrentQueues() {
		return this.concurrentQueues.publish(CHANNEL, MESSAGE);
	}

}
