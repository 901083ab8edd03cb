package dev.realtime.sample.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.realtime.pusher.Realtime;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The load generator's publisher (realtime-bench, README-load.md): one call publishes
 * {@code rate} events per second for {@code seconds} seconds through {@link Realtime}, in
 * process, round-robin over the public channels {@code bench-0} to
 * {@code bench-(channels-1)}. Each payload carries its channel index, a per-channel
 * sequence number (from {@code first}) and the send time in epoch microseconds (comparable across processes on
 * one machine). The STOMP baseline has the same endpoint, so both servers publish the same
 * way. Only registered with {@code sample.bench.enabled=true}: it lets anyone publish.
 */
@RestController
@ConditionalOnBooleanProperty("sample.bench.enabled")
class BenchPublishController {

	private final Realtime realtime;

	BenchPublishController(Realtime realtime) {
		this.realtime = realtime;
	}

	@PostMapping("/bench/publish")
	Map<String, Object> publish(@RequestParam int channels, @RequestParam int rate, @RequestParam int seconds,
			@RequestParam(defaultValue = "0") long first) {
		long total = (long) rate * seconds;
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		for (long i = 0; i < total; i++) {
			long due = start + i * periodNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int channel = (int) (i % channels);
			this.realtime.publish("bench-" + channel, "bench", payload(channel, first + i / channels));
		}
		return Map.of("published", total, "elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	private static String payload(int channel, long seq) {
		Instant now = Instant.now();
		long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
		return "{\"ch\":" + channel + ",\"seq\":" + seq + ",\"ts\":" + micros + "}";
	}

}
