package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads at most a bounded number of bytes of the body of an anonymous request before
 * anything else does. Without it, what runs before the endpoint reads bodies unbounded by
 * the endpoint's cap: the {@code DispatcherServlet} parses a {@code multipart/form-data}
 * body before any handler runs (up to {@code spring.servlet.multipart.max-request-size},
 * 10 MB, spooled to disk), and Spring Security's CSRF filter asks for the {@code _csrf}
 * parameter, which makes the container parse a form body (up to its {@code maxPostSize},
 * 2 MB) or a multipart one.
 * <ul>
 * <li>a multipart body is refused with 415, unread (no Pusher client sends one);</li>
 * <li>a {@code Content-Length} over the limit is refused with 413, unread;</li>
 * <li>a form body is read into memory up to the limit (413 beyond it, so a chunked body
 * too is never read further) and the request goes on with those bytes as its body and its
 * form parameters, which the container then never parses itself;</li>
 * <li>any other body is left to the endpoint, which reads it with the same cap.</li>
 * </ul>
 * Registered for the realtime paths only, ordered {@link #ORDER}: before Spring Security's
 * filter chain and every filter that may read parameters.
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {

	/**
	 * The filter's order: right after Spring's character encoding filter and the
	 * observation filter, before Spring Boot's form content filter and Spring Security's
	 * chain ({@code -100}).
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final long maxBodySize;

	private final MediaType accepted;

	private final boolean jsonErrors;

	private RequestBodyLimitFilter(long maxBodySize, MediaType accepted, boolean jsonErrors) {
		if (maxBodySize < 1) {
			throw new IllegalArgumentException("The largest body must be at least 1 byte, not " + maxBodySize);
		}
		// Form bodies are read into an array.
		this.maxBodySize = Math.min(maxBodySize, Integer.MAX_VALUE - 8);
		this.accepted = accepted;
		this.jsonErrors = jsonErrors;
	}

	/**
	 * The filter of the auth endpoints, which answer errors as {@code {"error": "..."}}.
	 * @param maxBodySize the largest body read, in bytes ({@code realtime.auth.max-body-size})
	 * @return the filter
	 */
	public static RequestBodyLimitFilter forAuthEndpoints(long maxBodySize) {
		return new RequestBodyLimitFilter(maxBodySize, MediaType.APPLICATION_FORM_URLENCODED, true);
	}

	/**
	 * The filter of the HTTP API, which answers errors as plain text.
	 * @param maxBodySize the largest body read, in bytes (a full batch at the payload limit)
	 * @return the filter
	 */
	public static RequestBodyLimitFilter forHttpApi(long maxBodySize) {
		return new RequestBodyLimitFilter(maxBodySize, MediaType.APPLICATION_JSON, false);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		if (BodyRefusals.isMultipart(contentType)) {
			refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, BodyRefusals.multipart(this.accepted, this.maxBodySize));
			return;
		}
		String mediaType = (contentType != null) ? contentType.trim().toLowerCase(Locale.ROOT) : "";
		if (request.getContentLengthLong() > this.maxBodySize) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, tooLarge());
			return;
		}
		if (!mediaType.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = read(request);
		if (body.length > this.maxBodySize) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, tooLarge());
			return;
		}
		Map<String, List<String>> fields;
		try {
			fields = FormFields.parse(body, FormFields.charset(request));
		}
		catch (IllegalArgumentException ex) {
			refuse(response, HttpStatus.BAD_REQUEST, "Malformed form body");
			return;
		}
		chain.doFilter(new ReadFormRequest(request, body, fields), response);
	}

	/** At most one byte over the limit, so that a longer body is known to be too large. */
	private byte[] read(HttpServletRequest request) throws IOException {
		try (InputStream in = request.getInputStream()) {
			return in.readNBytes((int) this.maxBodySize + 1);
		}
	}

	private String tooLarge() {
		return BodyRefusals.tooLarge(this.maxBodySize);
	}

	private void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		if (logger.isDebugEnabled()) {
			logger.debug("Request refused with " + status.value() + ": " + message);
		}
		byte[] body = (this.jsonErrors)
				? JsonMapper.shared().writeValueAsBytes(Map.of("error", message))
				: (message + "\n").getBytes(StandardCharsets.UTF_8);
		response.setStatus(status.value());
		// The rest of the body is never read: the connection cannot carry another request.
		response.setHeader("Connection", "close");
		response.setContentType((this.jsonErrors) ? MediaType.APPLICATION_JSON_VALUE : "text/plain;charset=UTF-8");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		// Sent now, before the container tries to swallow the unread rest of the body.
		response.flushBuffer();
	}

}
