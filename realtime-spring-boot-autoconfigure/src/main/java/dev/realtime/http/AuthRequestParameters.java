package dev.realtime.http;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * Reads the fields of an auth request: form fields (what pusher-js and laravel-echo send)
 * or a JSON object.
 */
final class AuthRequestParameters {

	private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");

	private final HttpServletRequest request;

	private final @Nullable JsonNode json;

	private AuthRequestParameters(HttpServletRequest request, @Nullable JsonNode json) {
		this.request = request;
		this.json = json;
	}

	static AuthRequestParameters read(HttpServletRequest request, JsonMapper jsonMapper) throws IOException {
		String contentType = request.getContentType();
		if (contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))) {
			try {
				JsonNode body = jsonMapper.readTree(request.getInputStream());
				return new AuthRequestParameters(request, (body != null && body.isObject()) ? body : null);
			}
			catch (JacksonException ex) {
				return new AuthRequestParameters(request, null);
			}
		}
		return new AuthRequestParameters(request, null);
	}

	@Nullable String get(String name) {
		if (this.json != null) {
			JsonNode value = this.json.get(name);
			return (value != null && value.isString()) ? value.stringValue() : null;
		}
		return this.request.getParameter(name);
	}

	static boolean isSocketId(@Nullable String socketId) {
		return socketId != null && socketId.length() <= 64 && SOCKET_ID.matcher(socketId).matches();
	}

}
