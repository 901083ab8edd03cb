package dev.realtime.netty;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which pages may open connections ({@code realtime.allowed-origin-patterns}). Patterns
 * take {@code *} for any characters and {@code [*]} for any port, as in Spring's
 * {@code allowedOriginPatterns} (whose {@code CorsConfiguration} is in spring-web, which the
 * Netty transport does not need). With no pattern, clients that send no {@code Origin}
 * (native apps, servers) and same-origin pages are allowed: same scheme, host and port
 * (a missing port is the scheme's default) as the WebSocket endpoint, or same host and the
 * port of the application's own web server, which serves the page while the socket goes
 * to this endpoint's port. Any other port of the same host is another origin (another
 * application), so it is refused.
 * <p>
 * The endpoint's scheme is {@code https} with its own TLS ({@code realtime.netty.ssl.bundle}),
 * otherwise {@code http} unless a TLS proxy says otherwise in {@code X-Forwarded-Proto} (a
 * page cannot set that header on a WebSocket request). Without TLS, the header and a port
 * in {@code Host}, the scheme is taken to be the page's: a browser only lets an
 * {@code https} page open a {@code wss://} socket, which reaches a plain endpoint only
 * through such a proxy.
 */
final class OriginPolicy {

	private final List<Pattern> patterns;

	private final IntSupplier applicationPort;

	/** Whether the endpoint has its own TLS: its origin is {@code https}. */
	private final boolean secure;

	/**
	 * A policy.
	 * @param patterns allowed origin patterns; empty for the same-origin rule
	 * @param applicationPort the port of the application's web server, or a negative
	 * number when there is none (yet)
	 * @param secure whether the endpoint has its own TLS
	 */
	OriginPolicy(List<String> patterns, IntSupplier applicationPort, boolean secure) {
		this.patterns = patterns.stream().map(OriginPolicy::compile).toList();
		this.applicationPort = applicationPort;
		this.secure = secure;
	}

	private static Pattern compile(String pattern) {
		if (pattern.equals("*")) {
			return Pattern.compile(".*");
		}
		String withPorts = pattern.replace(":[*]", "\u0000");
		StringBuilder regex = new StringBuilder();
		for (String literal : withPorts.split("\\*", -1)) {
			if (regex.length() > 0) {
				regex.append(".*");
			}
			String[] ports = literal.split("\u0000", -1);
			for (int i = 0; i < ports.length; i++) {
				if (i > 0) {
					regex.append("(:\\d+)?");
				}
				regex.append(Pattern.quote(ports[i]));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
	}

	/**
	 * Whether a page may connect.
	 * @param origin the {@code Origin} header, or {@code null}
	 * @param host the {@code Host} header, or {@code null}
	 * @param forwardedProto the {@code X-Forwarded-Proto} header, or {@code null}
	 * @return whether to accept the upgrade
	 */
	boolean allows(@Nullable String origin, @Nullable String host, @Nullable String forwardedProto) {
		if (origin == null) {
			return true;
		}
		if (this.patterns.isEmpty()) {
			return sameOrigin(origin, host, forwardedProto);
		}
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(origin).matches()) {
				return true;
			}
		}
		return false;
	}

	private boolean sameOrigin(String origin, @Nullable String host, @Nullable String forwardedProto) {
		if (host == null) {
			return false;
		}
		try {
			URI page = URI.create(origin);
			URI endpoint = URI.create("http://" + host);
			String scheme = (page.getScheme() != null) ? page.getScheme().toLowerCase(Locale.ROOT) : "";
			int pagePort = port(scheme, page.getPort());
			if (pagePort < 0 || page.getHost() == null || endpoint.getHost() == null
					|| !page.getHost().equalsIgnoreCase(endpoint.getHost())) {
				return false;
			}
			if (pagePort == this.applicationPort.getAsInt()) {
				return true;
			}
			String endpointScheme = this.secure ? "https" : endpointScheme(forwardedProto, endpoint.getPort(), scheme);
			return scheme.equals(endpointScheme) && pagePort == port(endpointScheme, endpoint.getPort());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String endpointScheme(@Nullable String forwardedProto, int hostPort, String pageScheme) {
		if (forwardedProto != null && !forwardedProto.isBlank()) {
			// A chain of proxies lists the first one's scheme first.
			return forwardedProto.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
		}
		return (hostPort < 0) ? pageScheme : "http";
	}

	/** The port, or the scheme's default when none is given; -1 for a scheme other than HTTP(S). */
	private static int port(String scheme, int port) {
		return switch (scheme) {
			case "http" -> (port < 0) ? 80 : port;
			case "https" -> (port < 0) ? 443 : port;
			default -> -1;
		};
	}

}
