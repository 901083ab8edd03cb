package dev.realtime.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * This node's WebSocket connection limit ({@code realtime.limits.max-connections}), and on
 * the Servlet transport with Tomcat its check against Tomcat's own limit.
 * <p>
 * Tomcat counts every connection, HTTP and WebSocket, against
 * {@code server.tomcat.max-connections} (8192 by default) and stops accepting once they are
 * all taken: with the WebSocket side full, the auth endpoints, the HTTP API and actuator
 * would stop answering too. So the default limit is Tomcat's minus a reserve for HTTP, and
 * an explicit limit that leaves less than the reserve fails the startup.
 */
final class NodeConnectionLimit {

	/** Spring Boot's default of {@code server.tomcat.max-connections}. */
	static final int TOMCAT_DEFAULT_MAX_CONNECTIONS = 8192;

	private static final String TOMCAT_CLASS = "org.apache.catalina.startup.Tomcat";

	private NodeConnectionLimit() {
	}

	/**
	 * The node's limit.
	 * @param properties the realtime properties
	 * @param environment where {@code server.tomcat.max-connections} is read
	 * @param classLoader where Tomcat is looked for
	 * @return the limit, 0 for none
	 * @throws IllegalStateException if an explicit limit leaves Tomcat too few connections
	 * for HTTP
	 */
	static int resolve(RealtimeProperties properties, Environment environment, @Nullable ClassLoader classLoader) {
		RealtimeProperties.Limits limits = properties.getLimits();
		Integer configured = limits.getMaxConnections();
		if (configured != null && configured < 0) {
			throw new IllegalStateException("realtime.limits.max-connections must be 0 (no limit) or positive, not "
					+ configured);
		}
		boolean tomcat = properties.getTransport() == RealtimeProperties.Transport.SERVLET
				&& ClassUtils.isPresent(TOMCAT_CLASS, classLoader);
		if (!tomcat) {
			return (configured != null) ? configured : 0;
		}
		int tomcatMax = environment.getProperty("server.tomcat.max-connections", Integer.class,
				TOMCAT_DEFAULT_MAX_CONNECTIONS);
		if (tomcatMax <= 0) {
			// Tomcat without a limit (-1): nothing to stay below.
			return (configured != null) ? configured : 0;
		}
		Integer reservedSetting = limits.getReservedHttpConnections();
		int reserved = (reservedSetting != null) ? reservedSetting : Math.max(1, tomcatMax / 10);
		if (reserved < 1 || reserved >= tomcatMax) {
			throw new IllegalStateException("realtime.limits.reserved-http-connections must be between 1 and "
					+ (tomcatMax - 1) + " (server.tomcat.max-connections=" + tomcatMax + " minus one), not " + reserved);
		}
		int highest = tomcatMax - reserved;
		if (configured == null) {
			return highest;
		}
		if (configured == 0 || configured > highest) {
			throw new IllegalStateException("realtime.limits.max-connections=" + configured
					+ " leaves Tomcat too few connections for HTTP requests: Tomcat accepts "
					+ "server.tomcat.max-connections=" + tomcatMax + " connections in all, WebSocket and HTTP, and "
					+ "once WebSockets take them the auth endpoints, the HTTP API and actuator stop answering. Set "
					+ "realtime.limits.max-connections to at most " + highest + " (server.tomcat.max-connections minus "
					+ "realtime.limits.reserved-http-connections=" + reserved + "), or raise "
					+ "server.tomcat.max-connections (and the process's open-file limit) with it.");
		}
		return configured;
	}

}
