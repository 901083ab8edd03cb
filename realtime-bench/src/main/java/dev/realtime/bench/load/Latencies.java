package dev.realtime.bench.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Delivery latencies in microseconds, one histogram per recording thread (each event loop
 * thread records only into its own), merged on demand.
 */
final class Latencies {

	private static final long HIGHEST = TimeUnit.SECONDS.toMicros(120);

	private final List<Histogram> all = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Histogram> local = ThreadLocal.withInitial(() -> {
		Histogram histogram = new Histogram(HIGHEST, 3);
		this.all.add(histogram);
		return histogram;
	});

	void record(long micros) {
		this.local.get().recordValue(Math.min(micros, HIGHEST));
	}

	/** Reset the calling thread's histogram (call on each event loop). */
	void resetLocal() {
		this.local.get().reset();
	}

	/** A merged copy (call when the event loops are quiet or after reading on each). */
	Histogram merged() {
		Histogram merged = new Histogram(HIGHEST, 3);
		for (Histogram histogram : this.all) {
			merged.add(histogram);
		}
		return merged;
	}

}
