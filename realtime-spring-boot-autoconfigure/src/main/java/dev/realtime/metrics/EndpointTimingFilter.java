package dev.realtime.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times the requests whose latency realtime users care about, as histograms:
 * {@code realtime.auth.duration} (the channel authorization and user authentication
 * endpoints, tag {@code endpoint=channel|user}: what a subscribing or signing-in client
 * waits for) and {@code realtime.http.api.publish.duration} ({@code POST
 * /apps/{id}/events} and {@code batch_events}, tag {@code endpoint=events|batch_events}:
 * from the request's arrival until its events are handed to the broadcaster and the
 * answer is written). Both are tagged {@code outcome} ({@code SUCCESS},
 * {@code CLIENT_ERROR}, {@code SERVER_ERROR}) and have fixed buckets from 1 ms to 5 s.
 * <p>
 * A filter rather than code in each controller, so the time includes whatever runs before
 * them (Spring Security, body reading) and a replaced controller is still timed. It runs
 * early and only reads the path of other requests.
 */
public final class EndpointTimingFilter extends OncePerRequestFilter implements Ordered {

	/** The buckets of both histograms. */
	static final Duration[] BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
			Duration.ofSeconds(5) };

	private static final String API_PREFIX = "/apps/";

	private final MeterRegistry registry;

	private final String channelAuthPath;

	private final String userAuthPath;

	/**
	 * A filter recording into a registry.
	 * @param registry where the timers are
	 * @param channelAuthPath {@code realtime.auth.path}
	 * @param userAuthPath {@code realtime.auth.user-path}
	 */
	public EndpointTimingFilter(MeterRegistry registry, String channelAuthPath, String userAuthPath) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.channelAuthPath = channelAuthPath;
		this.userAuthPath = userAuthPath;
	}

	@Override
	public int getOrder() {
		// Before Spring Security's filter chain (-100), so its time is counted too.
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Timed timed = classify(request);
		if (timed == null) {
			chain.doFilter(request, response);
			return;
		}
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			Timer.builder(timed.meterName())
				.description(timed.description())
				.tag("endpoint", timed.endpoint())
				.tag("outcome", outcome(response.getStatus()))
				.serviceLevelObjectives(BUCKETS)
				.register(this.registry)
				.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
		}
	}

	private @Nullable Timed classify(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod())) {
			return null;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.equals(this.channelAuthPath)) {
			return Timed.CHANNEL_AUTH;
		}
		if (path.equals(this.userAuthPath)) {
			return Timed.USER_AUTH;
		}
		if (path.startsWith(API_PREFIX)) {
			if (path.endsWith("/batch_events")) {
				return Timed.BATCH_EVENTS;
			}
			if (path.endsWith("/events")) {
				return Timed.EVENTS;
			}
		}
		return null;
	}

	private static String outcome(int status) {
		return (status >= 500) ? "SERVER_ERROR" : (status >= 400) ? "CLIENT_ERROR" : "SUCCESS";
	}

	private enum Timed {

		CHANNEL_AUTH("realtime.auth.duration", "channel", "Time to answer a channel authorization or user authentication"),

		USER_AUTH("realtime.auth.duration", "user", "Time to answer a channel authorization or user authentication"),

		EVENTS("realtime.http.api.publish.duration", "events",
				"Time from an HTTP API publish request to its events handed to the broadcaster"),

		BATCH_EVENTS("realtime.http.api.publish.duration", "batch_events",
				"Time from an HTTP API publish request to its events handed to the broadcaster");

		private final String meter;

		private final String endpoint;

		private final String description;

		Timed(String meter, String endpoint, String description) {
			this.meter = meter;
			this.endpoint = endpoint;
			this.description = description;
		}

		String endpoint() {
			return this.endpoint;
		}

		String description() {
			return this.description;
		}

		String meterName() {
			return this.meter;
		}

	}

}
