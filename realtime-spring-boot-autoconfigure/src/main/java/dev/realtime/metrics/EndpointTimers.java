package dev.realtime.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.realtime.http.HttpApiTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The histograms of the requests whose latency realtime users care about:
 * {@code realtime.auth.duration} (the channel authorization and user authentication
 * endpoints, tag {@code endpoint=channel|user}: what a subscribing or signing-in client
 * waits for) and {@code realtime.http.api.publish.duration} ({@code POST
 * /apps/{id}/events} and {@code batch_events}, tag {@code endpoint=events|batch_events}:
 * from the request's arrival until its events are handed to the broadcaster and the
 * answer is written). Both are tagged {@code outcome} ({@code SUCCESS},
 * {@code CLIENT_ERROR}, {@code SERVER_ERROR}) and have fixed buckets from 1 ms to 5 s.
 * <p>
 * Fed by {@link EndpointTimingFilter} on the application's port and, as
 * {@link HttpApiTimings}, by the Netty transport for the HTTP API it serves on its own
 * port: one set of meters, whichever port a request came to.
 */
public final class EndpointTimers implements HttpApiTimings {

	/** The buckets of both histograms. */
	static final Duration[] BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
			Duration.ofSeconds(5) };

	private static final String API_PREFIX = "/apps/";

	private static final String[] OUTCOMES = { "SUCCESS", "CLIENT_ERROR", "SERVER_ERROR" };

	private final MeterRegistry registry;

	private final String channelAuthPath;

	private final String userAuthPath;

	/** By endpoint and outcome; a race registers the same timer twice, which is harmless. */
	private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(
			Endpoint.values().length * OUTCOMES.length);

	/**
	 * Timers in a registry.
	 * @param registry where the timers are
	 * @param channelAuthPath {@code realtime.auth.path}
	 * @param userAuthPath {@code realtime.auth.user-path}
	 */
	public EndpointTimers(MeterRegistry registry, String channelAuthPath, String userAuthPath) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.channelAuthPath = channelAuthPath;
		this.userAuthPath = userAuthPath;
	}

	@Override
	public void answered(String method, String path, int status, long nanos) {
		Endpoint endpoint = classify(method, path);
		if (endpoint != null) {
			record(endpoint, status, nanos);
		}
	}

	/**
	 * Which timed endpoint a request is for.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @return the endpoint, or {@code null} for a request that is not timed
	 */
	@Nullable Endpoint classify(String method, String path) {
		if (!"POST".equals(method)) {
			return null;
		}
		if (path.equals(this.channelAuthPath)) {
			return Endpoint.CHANNEL_AUTH;
		}
		if (path.equals(this.userAuthPath)) {
			return Endpoint.USER_AUTH;
		}
		if (path.startsWith(API_PREFIX)) {
			if (path.endsWith("/batch_events")) {
				return Endpoint.BATCH_EVENTS;
			}
			if (path.endsWith("/events")) {
				return Endpoint.EVENTS;
			}
		}
		return null;
	}

	void record(Endpoint endpoint, int status, long nanos) {
		int outcome = (status >= 500) ? 2 : (status >= 400) ? 1 : 0;
		int slot = endpoint.ordinal() * OUTCOMES.length + outcome;
		Timer timer = this.timers.get(slot);
		if (timer == null) {
			// Built once per series: the builder and the registry lookup cost more than the
			// recording (2 % of a busy Netty server's CPU when done per request).
			timer = Timer.builder(endpoint.meter)
				.description(endpoint.description)
				.tag("endpoint", endpoint.tag)
				.tag("outcome", OUTCOMES[outcome])
				.serviceLevelObjectives(BUCKETS)
				.register(this.registry);
			this.timers.set(slot, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	enum Endpoint {

		CHANNEL_AUTH("realtime.auth.duration", "channel", "Time to answer a channel authorization or user authentication"),

		USER_AUTH("realtime.auth.duration", "user", "Time to answer a channel authorization or user authentication"),

		EVENTS("realtime.http.api.publish.duration", "events",
				"Time from an HTTP API publish request to its events handed to the broadcaster"),

		BATCH_EVENTS("realtime.http.api.publish.duration", "batch_events",
				"Time from an HTTP API publish request to its events handed to the broadcaster");

		private final String meter;

		private final String tag;

		private final String description;

		Endpoint(String meter, String tag, String description) {
			this.meter = meter;
			this.tag = tag;
			this.description = description;
		}

	}

}
