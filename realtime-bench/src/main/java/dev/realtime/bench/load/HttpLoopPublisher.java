package dev.realtime.bench.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * Publishes from the generator, one HTTP request per message at the fixed rate (for
 * servers that publish only over HTTP, such as nchan's {@code POST /pub/{channel}}). Each
 * channel belongs to one of a few publishing threads that send its messages one at a time,
 * so the server receives every channel's messages in order (concurrent requests would
 * reorder them before the server sees them). The client's pool keeps a keep-alive
 * connection per thread open across requests (HTTP/1.1, one request in flight each). A
 * thread that cannot keep up shows as a lower achieved rate; failures make the round fail.
 */
public final class HttpLoopPublisher implements Publisher {

	private static final int DEFAULT_THREADS = 4;

	private final int threads;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final BiFunction<String, String, HttpRequest> request;

	/**
	 * A publisher making one request per message.
	 * @param request makes the request from a channel name and the payload
	 */
	public HttpLoopPublisher(BiFunction<String, String, HttpRequest> request) {
		this(request, DEFAULT_THREADS);
	}

	/**
	 * A publisher making one request per message from {@code threads} publishing threads, each
	 * with a request in flight at a time: the concurrency a back end with that many workers has.
	 * @param request makes the request from a channel name and the payload
	 * @param threads how many publishing threads (at most one per channel)
	 */
	public HttpLoopPublisher(BiFunction<String, String, HttpRequest> request, int threads) {
		this.request = request;
		this.threads = threads;
	}

	@Override
	public Published publish(int channels, int rate, int seconds, long first) throws Exception {
		long total = (long) rate * seconds;
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		int threads = Math.min(this.threads, channels);
		AtomicLong failed = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		long start = System.nanoTime();
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(executor.submit(() -> {
					for (long i = 0; i < total; i++) {
						int channel = (int) (i % channels);
						if (channel % threads != thread) {
							continue;
						}
						long wait = start + i * periodNanos - System.nanoTime();
						if (wait > 0) {
							LockSupport.parkNanos(wait);
						}
						send(channel, first + i / channels, failed);
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			executor.shutdown();
		}
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		if (failed.get() > 0) {
			throw new IllegalStateException(failed.get() + " of " + total + " publish requests failed");
		}
		return new Published(total, elapsed);
	}

	private void send(int channel, long seq, AtomicLong failed) {
		Instant now = Instant.now();
		long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
		String payload = "{\"ch\":" + channel + ",\"seq\":" + seq + ",\"ts\":" + micros + "}";
		try {
			HttpResponse<Void> response = this.http.send(this.request.apply("bench-" + channel, payload),
					HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() >= 300) {
				failed.incrementAndGet();
			}
		}
		catch (Exception ex) {
			failed.incrementAndGet();
		}
	}

}
