package dev.realtime.autoconfigure.security;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.realtime.autoconfigure.RealtimeProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.security.web.servlet.ApplicationContextRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.context.WebApplicationContext;

/**
 * Factory of {@link RequestMatcher}s for the realtime endpoints, reading the paths from
 * {@code realtime.*} when the first request arrives, in the manner of Spring Boot's
 * {@code EndpointRequest} and {@code PathRequest}. For an application's own
 * {@code SecurityFilterChain}:
 * <pre class="code">
 * http.authorizeHttpRequests((requests) -&gt; requests
 *         .requestMatchers(RealtimeRequest.toAuthEndpoints()).authenticated()
 *         .anyRequest().permitAll());
 * </pre>
 * The HTTP API and the WebSocket handshake are matched by the starter's own chain
 * ({@code realtimeSecurityFilterChain}) before the application's.
 */
public final class RealtimeRequest {

	/** The Pusher HTTP API's paths: {@code /apps/{id}/events}, {@code /apps/{id}/channels}, ... */
	static final String HTTP_API = "/apps/**";

	private RealtimeRequest() {
	}

	/**
	 * The Pusher HTTP API ({@code /apps/**}): requests of the server SDKs, authenticated by
	 * their HMAC signature, never by a session or a CSRF token.
	 * @return the matcher
	 */
	public static RequestMatcher toHttpApi() {
		return new RealtimePathRequestMatcher((properties) -> List.of(HTTP_API));
	}

	/**
	 * The channel authorization and user authentication endpoints
	 * ({@code realtime.auth.path} and {@code realtime.auth.user-path}): browsers call them
	 * with the user's session.
	 * @return the matcher
	 */
	public static RequestMatcher toAuthEndpoints() {
		return new RealtimePathRequestMatcher(
				(properties) -> List.of(properties.getAuth().getPath(), properties.getAuth().getUserPath()));
	}

	/**
	 * The WebSocket endpoint ({@code realtime.path}) on the application's server: the
	 * handshake of every client, before any channel authorization.
	 * @return the matcher
	 */
	public static RequestMatcher toWebSocket() {
		return new RealtimePathRequestMatcher((properties) -> List.of(properties.getPath()));
	}

	/**
	 * Matches the paths that a function of the {@link RealtimeProperties} gives.
	 */
	private static final class RealtimePathRequestMatcher extends ApplicationContextRequestMatcher<RealtimeProperties> {

		private final Function<RealtimeProperties, List<String>> paths;

		private volatile @Nullable RequestMatcher delegate;

		RealtimePathRequestMatcher(Function<RealtimeProperties, List<String>> paths) {
			super(RealtimeProperties.class);
			this.paths = paths;
		}

		@Override
		protected boolean ignoreApplicationContext(WebApplicationContext applicationContext) {
			// The actuator's own server (management.server.port) serves no realtime endpoint.
			return hasServerNamespace(applicationContext, "management");
		}

		@Override
		protected void initialized(Supplier<RealtimeProperties> properties) {
			PathPatternRequestMatcher.Builder builder = PathPatternRequestMatcher.withDefaults();
			List<RequestMatcher> matchers = this.paths.apply(properties.get())
				.stream()
				.map((path) -> (RequestMatcher) builder.matcher(path))
				.toList();
			this.delegate = new OrRequestMatcher(matchers);
		}

		@Override
		protected boolean matches(HttpServletRequest request, Supplier<RealtimeProperties> properties) {
			RequestMatcher delegate = this.delegate;
			Assert.state(delegate != null, "'delegate' must not be null");
			return delegate.matches(request);
		}

	}

}
