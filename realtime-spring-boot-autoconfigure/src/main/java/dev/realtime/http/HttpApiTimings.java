package dev.realtime.http;

/**
 * Told how long each HTTP API request took to answer, by a server that serves the API
 * outside the servlet stack (the Netty transport's port), so that its requests are timed
 * like the application port's. Micrometer's implementation is
 * {@code dev.realtime.metrics.EndpointTimers}.
 */
@FunctionalInterface
public interface HttpApiTimings {

	/** Times nothing. */
	HttpApiTimings NONE = (method, path, status, nanos) -> {
	};

	/**
	 * A request was answered.
	 * @param method the HTTP method
	 * @param path the path, without the query
	 * @param status the status answered
	 * @param nanos from the request's arrival until the answer was written
	 */
	void answered(String method, String path, int status, long nanos);

}
