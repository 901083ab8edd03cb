package dev.realtime.pusher;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Reads the app key from the WebSocket URL ({@code /app/{key}}) into the session
 * attributes. It never refuses the handshake: an unknown key is answered over the open
 * socket with the Pusher error 4001, which clients understand (a refused HTTP upgrade
 * they would retry forever).
 */
public final class AppKeyHandshakeInterceptor implements HandshakeInterceptor {

	/** The session attribute holding the key. */
	public static final String APP_KEY_ATTRIBUTE = AppKeyHandshakeInterceptor.class.getName() + ".key";

	private static final String KEY_VARIABLE = "key";

	private final PathPattern pattern;

	/**
	 * Create an interceptor.
	 * @param path the endpoint's path pattern, such as {@code /app/{key}}
	 */
	public AppKeyHandshakeInterceptor(String path) {
		this.pattern = PathPatternParser.defaultInstance.parse(path);
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String path = request.getURI().getRawPath();
		if (request instanceof ServletServerHttpRequest servletRequest) {
			HttpServletRequest servlet = servletRequest.getServletRequest();
			path = servlet.getRequestURI().substring(servlet.getContextPath().length());
		}
		PathPattern.PathMatchInfo match = this.pattern.matchAndExtract(PathContainer.parsePath(path));
		if (match != null) {
			String key = match.getUriVariables().get(KEY_VARIABLE);
			if (key != null) {
				attributes.put(APP_KEY_ATTRIBUTE, key);
			}
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
