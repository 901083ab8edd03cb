package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The fields of an auth request: form fields (what pusher-js and laravel-echo send) or a
 * JSON object, read by a {@link Reader} that takes at most a bounded number of bytes.
 */
final class AuthRequestParameters {

	private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");

	private final HttpServletRequest request;

	private final Map<String, String> body;

	private final boolean json;

	private AuthRequestParameters(HttpServletRequest request, Map<String, String> body, boolean json) {
		this.request = request;
		this.body = body;
		this.json = json;
	}

	@Nullable String get(String name) {
		String value = this.body.get(name);
		// A JSON request carries its fields in the body only; otherwise the query may too.
		return (value != null || this.json) ? value : this.request.getParameter(name);
	}

	static boolean isSocketId(@Nullable String socketId) {
		return socketId != null && socketId.length() <= 64 && SOCKET_ID.matcher(socketId).matches();
	}

	/**
	 * Reads auth requests with a cap on the body: a {@code Content-Length} over it is
	 * refused before reading, and a body without one (chunked) is read only up to the cap,
	 * so one request costs at most that much memory. Parsing is bounded too: an auth
	 * request is a flat object, so JSON nested deeper than {@value #MAX_NESTING_DEPTH} is
	 * refused.
	 */
	static final class Reader {

		static final int MAX_NESTING_DEPTH = 16;

		private final long maxBodySize;

		private final JsonMapper jsonMapper;

		Reader(long maxBodySize) {
			if (maxBodySize < 1 || maxBodySize > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException("realtime.auth.max-body-size must be between 1 byte and 2 GB");
			}
			this.maxBodySize = maxBodySize;
			StreamReadConstraints constraints = StreamReadConstraints.builder()
				.maxDocumentLength(maxBodySize)
				.maxNestingDepth(MAX_NESTING_DEPTH)
				.build();
			this.jsonMapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
				.build();
		}

		AuthRequestParameters read(HttpServletRequest request) throws IOException {
			long length = request.getContentLengthLong();
			if (length > this.maxBodySize) {
				throw tooLarge();
			}
			MediaType type = contentType(request);
			if (type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
				return new AuthRequestParameters(request, json(body(request)), true);
			}
			if (type != null && MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
				Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
				return new AuthRequestParameters(request, form(body(request), charset), false);
			}
			return new AuthRequestParameters(request, Map.of(), false);
		}

		private byte[] body(HttpServletRequest request) throws IOException {
			try (InputStream in = request.getInputStream()) {
				byte[] body = in.readNBytes((int) this.maxBodySize + 1);
				if (body.length > this.maxBodySize) {
					throw tooLarge();
				}
				return body;
			}
		}

		private Map<String, String> json(byte[] body) {
			Map<String, String> fields = new HashMap<>();
			try {
				JsonNode json = this.jsonMapper.readTree(body);
				if (json != null && json.isObject()) {
					json.properties().forEach((field) -> {
						if (field.getValue().isString()) {
							fields.put(field.getKey(), field.getValue().stringValue());
						}
					});
				}
			}
			catch (StreamConstraintsException ex) {
				throw new AuthRequestException(HttpStatus.BAD_REQUEST,
						"JSON body nested too deeply: at most " + MAX_NESTING_DEPTH + " levels");
			}
			catch (JacksonException ex) {
				// Not JSON: answered as a request without the required fields.
			}
			return fields;
		}

		private static Map<String, String> form(byte[] body, Charset charset) {
			Map<String, String> fields = new HashMap<>();
			try {
				FormFields.parse(body, charset).forEach((name, values) -> fields.put(name, values.get(0)));
			}
			catch (IllegalArgumentException ex) {
				throw new AuthRequestException(HttpStatus.BAD_REQUEST, "Malformed form body");
			}
			return fields;
		}

		private static @Nullable MediaType contentType(HttpServletRequest request) {
			String contentType = request.getContentType();
			if (contentType == null) {
				return null;
			}
			try {
				return MediaType.parseMediaType(contentType);
			}
			catch (IllegalArgumentException ex) {
				throw new AuthRequestException(HttpStatus.BAD_REQUEST, "Malformed Content-Type");
			}
		}

		private AuthRequestException tooLarge() {
			return new AuthRequestException(HttpStatus.CONTENT_TOO_LARGE,
					"Request body too large: at most " + this.maxBodySize + " bytes allowed");
		}

	}

	/**
	 * An auth request refused before it was looked at: too large or malformed.
	 */
	static final class AuthRequestException extends RuntimeException {

		private final HttpStatus status;

		AuthRequestException(HttpStatus status, String message) {
			super(message, null, false, false);
			this.status = status;
		}

		HttpStatus status() {
			return this.status;
		}

	}

}
