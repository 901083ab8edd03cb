package dev.realtime.netty;

import org.jspecify.annotations.Nullable;

/**
 * The endpoint's path ({@code realtime.path}), such as {@code /app/{key}}: a literal
 * path, or one with a single {@code {key}} variable standing for one path segment.
 * Not Spring's {@code PathPattern}, which the Servlet transport's interceptor uses: the
 * Netty transport also runs in applications without spring-web.
 */
final class EndpointPath {

	private static final String KEY = "{key}";

	private final String prefix;

	private final @Nullable String suffix;

	EndpointPath(String pattern) {
		int key = pattern.indexOf(KEY);
		if (key < 0) {
			this.prefix = pattern;
			this.suffix = null;
		}
		else {
			this.prefix = pattern.substring(0, key);
			this.suffix = pattern.substring(key + KEY.length());
			if (this.suffix.contains("{") || this.prefix.contains("{")) {
				throw new IllegalArgumentException("Only one {key} variable is supported in '" + pattern + "'");
			}
		}
	}

	/**
	 * Match a request path.
	 * @param path the raw path, without the query
	 * @return the match, or {@code null} if the path is not the endpoint's
	 */
	@Nullable Match match(String path) {
		if (this.suffix == null) {
			return path.equals(this.prefix) ? new Match(null) : null;
		}
		if (!path.startsWith(this.prefix) || !path.endsWith(this.suffix)
				|| path.length() <= this.prefix.length() + this.suffix.length()) {
			return null;
		}
		String key = path.substring(this.prefix.length(), path.length() - this.suffix.length());
		return (key.indexOf('/') < 0) ? new Match(key) : null;
	}

	/**
	 * A matching path.
	 * @param appKey the app key, or {@code null} when the path has no key
	 */
	record Match(@Nullable String appKey) {
	}

}
