package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;

/**
 * The Pusher HTTP API on the application's port: a servlet adapter of {@link HttpApi}
 * (which does everything: routing, signature, limits, parsing, publishing, answers),
 * registered for {@code /apps/*} as the last filter of the chain.
 * <ul>
 * <li>{@code POST /apps/{id}/events} and {@code POST /apps/{id}/batch_events}</li>
 * <li>{@code GET /apps/{id}/channels}, {@code GET /apps/{id}/channels/{name}} and
 * {@code GET /apps/{id}/channels/{name}/users}</li>
 * <li>{@code POST /apps/{id}/users/{user_id}/terminate_connections}</li>
 * </ul>
 * A filter rather than a Spring MVC controller: the {@code DispatcherServlet}'s handler
 * lookup, argument resolution and message conversion cost a publish more than the API
 * itself did (BENCHMARKS.md, "The HTTP API on Tomcat without the MVC dispatch"). Every other
 * filter, Spring Security's included, still runs first; MVC interceptors and controller
 * advice do not see these requests.
 */
public final class HttpApiFilter implements Filter {

	/** After every other filter: only the {@code DispatcherServlet} is skipped. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

	private final HttpApi api;

	/**
	 * Serve the API.
	 * @param api the API the requests are answered by
	 */
	public HttpApiFilter(HttpApi api) {
		this.api = api;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
			chain.doFilter(request, response);
			return;
		}
		HttpApi.Answer result;
		try {
			result = this.api.route(read(http));
		}
		catch (HttpApiException ex) {
			// The body over the limit.
			result = this.api.refused(ex);
		}
		write(result, answer);
	}

	private HttpApi.Request read(HttpServletRequest request) throws IOException {
		byte[] body = new byte[0];
		if (request.getMethod().equals("POST")) {
			try (InputStream in = request.getInputStream()) {
				body = this.api.readBody(request.getContentLengthLong(), in);
			}
		}
		return new HttpApi.Request(request.getMethod(), path(request), request.getQueryString(), body);
	}

	/** The path as the client signed it: without the servlet context path. */
	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	private static void write(HttpApi.Answer answer, HttpServletResponse response) throws IOException {
		byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
		response.setStatus(answer.status());
		response.setContentType(answer.contentType());
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
