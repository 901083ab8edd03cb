package dev.realtime.metrics;

import java.io.IOException;
import java.util.Objects;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times the auth endpoints and the HTTP API's publish requests on the application's port
 * into {@link EndpointTimers}.
 * <p>
 * A filter rather than code in each controller, so the time includes whatever runs before
 * them (Spring Security, body reading) and a replaced controller is still timed. It runs
 * early and only reads the path of other requests.
 */
public final class EndpointTimingFilter extends OncePerRequestFilter implements Ordered {

	private final EndpointTimers timers;

	/**
	 * A filter recording into timers.
	 * @param timers the timers
	 */
	public EndpointTimingFilter(EndpointTimers timers) {
		this.timers = Objects.requireNonNull(timers, "timers");
	}

	@Override
	public int getOrder() {
		// Before Spring Security's filter chain (-100), so its time is counted too.
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		EndpointTimers.Endpoint endpoint = this.timers.classify(request.getMethod(),
				request.getRequestURI().substring(request.getContextPath().length()));
		if (endpoint == null) {
			chain.doFilter(request, response);
			return;
		}
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.timers.record(endpoint, response.getStatus(), System.nanoTime() - start);
		}
	}

}
