package dev.realtime.netty;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which pages may open connections ({@code realtime.allowed-origin-patterns}). Patterns
 * take {@code *} for any characters and {@code [*]} for any port, as in Spring's
 * {@code allowedOriginPatterns} (whose {@code CorsConfiguration} is in spring-web, which the
 * Netty transport does not need). With no pattern, clients that send no {@code Origin}
 * (native apps, servers) and pages from the same host are allowed; the port is ignored,
 * because this endpoint has a port of its own and the page comes from the application's.
 */
final class OriginPolicy {

	private final List<Pattern> patterns;

	OriginPolicy(List<String> patterns) {
		this.patterns = patterns.stream().map(OriginPolicy::compile).toList();
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

	boolean allows(@Nullable String origin, @Nullable String host) {
		if (origin == null) {
			return true;
		}
		if (this.patterns.isEmpty()) {
			return sameHost(origin, host);
		}
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(origin).matches()) {
				return true;
			}
		}
		return false;
	}

	private static boolean sameHost(String origin, @Nullable String host) {
		if (host == null) {
			return false;
		}
		try {
			String originHost = URI.create(origin).getHost();
			String requestHost = URI.create("http://" + host).getHost();
			return originHost != null && requestHost != null
					&& originHost.toLowerCase(Locale.ROOT).equals(requestHost.toLowerCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
