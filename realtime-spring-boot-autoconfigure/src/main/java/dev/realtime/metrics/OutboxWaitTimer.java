package dev.realtime.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.realtime.OutboxWaitRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The hubs' sampled outbox waits as the histogram {@code realtime.outbox.wait}: how long
 * a broadcast frame waited for its connection's writer (one frame in
 * {@value OutboxWaitRecorder#SAMPLE_INTERVAL} per connection), buckets from 100 µs to
 * 5 s. Rising waits mean writers that cannot keep up: slow clients, or too few I/O
 * threads for the fan-out.
 * <p>
 * Given to the hubs before any registry exists; samples taken before Spring Boot binds it
 * to the registry are not kept.
 */
public final class OutboxWaitTimer implements OutboxWaitRecorder, MeterBinder {

	static final Duration[] BUCKETS = { Duration.ofNanos(100_000), Duration.ofNanos(250_000),
			Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5) };

	private volatile @Nullable Timer timer;

	@Override
	public void bindTo(MeterRegistry registry) {
		this.timer = Timer.builder("realtime.outbox.wait")
			.description("Time a broadcast frame waited in a connection's outbox (sampled)")
			.serviceLevelObjectives(BUCKETS)
			.register(registry);
	}

	@Override
	public void record(long nanos) {
		Timer timer = this.timer;
		if (timer != null) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

}
