package dev.realtime.http;

/**
 * A request to the HTTP API that cannot be served: the status to answer with and a message
 * that says what was wrong (sent to the caller as plain text, as Pusher does).
 */
public class HttpApiException extends RuntimeException {

	private final int status;

	/**
	 * Create an exception.
	 * @param status the HTTP status: 400, 401, 404 or 413
	 * @param message what was wrong, for the caller
	 */
	public HttpApiException(int status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * The HTTP status to answer with.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	static HttpApiException badRequest(String message) {
		return new HttpApiException(400, message);
	}

	static HttpApiException unauthorized(String message) {
		return new HttpApiException(401, message);
	}

}
