package dev.realtime.bench.stomp;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The load generator's publisher: one call publishes {@code rate} messages per second for
 * {@code seconds} seconds, in process, round-robin over the channels {@code bench-0} to
 * {@code bench-(channels-1)}. Each payload carries its channel index, a per-channel
 * sequence number (from {@code first}) and the send time in epoch microseconds (comparable across processes on
 * one machine). The realtime sample app has the same endpoint, so both servers publish
 * the same way.
 */
@RestController
class BenchPublishController {

	private final SimpMessagingTemplate messaging;

	BenchPublishController(SimpMessagingTemplate messaging) {
		this.messaging = messaging;
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
			this.messaging.convertAndSend("/topic/bench-" + channel, payload(channel, first + i / channels));
		}
		return Map.of("published", total, "elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	private static String payload(int channel, long seq) {
		Instant now = Instant.now();
		long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
		return "{\"ch\":" + channel + ",\"seq\":" + seq + ",\"ts\":" + micros + "}";
	}

}
