package dev.realtime.pusher;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;

/**
 * Decides for the Servlet transport whether a client gets permessage-deflate (RFC 7692),
 * which the container itself implements (Tomcat's {@code PerMessageDeflate}) and grants
 * to any client that offers it. The container reads the offer from the request's
 * {@code Sec-WebSocket-Extensions} header, so this strategy shows the container a request
 * whose header is changed:
 * <ul>
 * <li>compression disabled: the header is hidden, so nothing is negotiated (and the
 * container keeps no deflater and inflater per connection);</li>
 * <li>compression enabled: each permessage-deflate offer also asks for
 * {@code server_no_context_takeover} (RFC 7692 lets the server grant it unasked), so the
 * server keeps no compression window between messages. {@code client_no_context_takeover}
 * is left to the client: some clients (Netty's, by default) fail the handshake on an
 * answer with a parameter they did not offer. The container still compresses each
 * message once per connection: it owns the per-session deflater, so a broadcast cannot be
 * compressed once for all here as it is on the Netty transport.</li>
 * </ul>
 */
public final class CompressionUpgradeStrategy implements RequestUpgradeStrategy {

	static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

	private static final String DEFLATE = "permessage-deflate";

	private final RequestUpgradeStrategy delegate;

	private final boolean compression;

	/**
	 * Decorate a container's upgrade strategy.
	 * @param delegate the container's strategy
	 * @param compression whether clients may negotiate permessage-deflate
	 */
	public CompressionUpgradeStrategy(RequestUpgradeStrategy delegate, boolean compression) {
		this.delegate = delegate;
		this.compression = compression;
	}

	@Override
	public String[] getSupportedVersions() {
		return this.delegate.getSupportedVersions();
	}

	@Override
	public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
		return this.delegate.getSupportedExtensions(request);
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ServerHttpRequest upgraded = request;
		if (request instanceof ServletServerHttpRequest servlet) {
			upgraded = new ServletServerHttpRequest(new OffersRewritten(servlet.getServletRequest(), this.compression));
		}
		List<WebSocketExtension> extensions = this.compression ? selectedExtensions
				: selectedExtensions.stream().filter((e) -> !DEFLATE.equalsIgnoreCase(e.getName())).toList();
		this.delegate.upgrade(upgraded, response, selectedProtocol, extensions, user, wsHandler, attributes);
	}

	/**
	 * The offers the container is to see.
	 * @param offers the client's header value
	 * @param compression whether compression is enabled
	 * @return the header value to show, or {@code null} to hide the header
	 */
	static @Nullable String rewrite(String offers, boolean compression) {
		List<String> kept = new ArrayList<>();
		for (String offer : offers.split(",")) {
			String trimmed = offer.trim();
			boolean deflate = DEFLATE.equalsIgnoreCase(trimmed.split(";")[0].trim());
			if (!deflate) {
				kept.add(trimmed);
			}
			else if (compression) {
				String lower = trimmed.toLowerCase(Locale.ROOT);
				StringBuilder rewritten = new StringBuilder(trimmed);
				if (!lower.contains("server_no_context_takeover")) {
					rewritten.append("; server_no_context_takeover");
				}
				kept.add(rewritten.toString());
			}
		}
		return kept.isEmpty() ? null : String.join(", ", kept);
	}

	/**
	 * The upgrade request with its extension offers rewritten.
	 */
	private static final class OffersRewritten extends HttpServletRequestWrapper {

		private final @Nullable String offers;

		OffersRewritten(HttpServletRequest request, boolean compression) {
			super(request);
			List<String> values = Collections.list(request.getHeaders(EXTENSIONS_HEADER));
			this.offers = values.isEmpty() ? null : rewrite(String.join(", ", values), compression);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? this.offers : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (!EXTENSIONS_HEADER.equalsIgnoreCase(name)) {
				return super.getHeaders(name);
			}
			return Collections.enumeration((this.offers != null) ? List.of(this.offers) : List.of());
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>();
			for (String name : Collections.list(super.getHeaderNames())) {
				if (this.offers != null || !EXTENSIONS_HEADER.equalsIgnoreCase(name)) {
					names.add(name);
				}
			}
			return Collections.enumeration(names);
		}

	}

}
