package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Pusher HTTP API on the application's port, a Spring MVC adapter of {@link HttpApi}
 * (which does everything: signature, limits, parsing, publishing, answers):
 * <ul>
 * <li>{@code POST /apps/{id}/events} and {@code POST /apps/{id}/batch_events}</li>
 * <li>{@code GET /apps/{id}/channels}, {@code GET /apps/{id}/channels/{name}} and
 * {@code GET /apps/{id}/channels/{name}/users}</li>
 * <li>{@code POST /apps/{id}/users/{user_id}/terminate_connections}</li>
 * </ul>
 */
@RestController
public class HttpApiController {

	private final HttpApi api;

	/**
	 * Create the endpoints.
	 * @param api the API they answer with
	 */
	public HttpApiController(HttpApi api) {
		this.api = api;
	}

	/**
	 * Publish an event to one or more channels.
	 * @param appId the app id
	 * @param request the signed request
	 * @return see {@link HttpApi#events}
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("/apps/{appId}/events")
	public ResponseEntity<String> events(@PathVariable String appId, HttpServletRequest request) throws IOException {
		return answer(this.api.events(appId, withBody(request)));
	}

	/**
	 * Publish several events in one request.
	 * @param appId the app id
	 * @param request the signed request
	 * @return see {@link HttpApi#batchEvents}
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("/apps/{appId}/batch_events")
	public ResponseEntity<String> batchEvents(@PathVariable String appId, HttpServletRequest request)
			throws IOException {
		return answer(this.api.batchEvents(appId, withBody(request)));
	}

	/**
	 * The occupied channels.
	 * @param appId the app id
	 * @param request the signed request
	 * @return see {@link HttpApi#channels}
	 */
	@GetMapping("/apps/{appId}/channels")
	public ResponseEntity<String> channels(@PathVariable String appId, HttpServletRequest request) {
		return answer(this.api.channels(appId, withoutBody(request)));
	}

	/**
	 * One channel's state.
	 * @param appId the app id
	 * @param channel the channel
	 * @param request the signed request
	 * @return see {@link HttpApi#channel}
	 */
	@GetMapping("/apps/{appId}/channels/{channel}")
	public ResponseEntity<String> channel(@PathVariable String appId, @PathVariable String channel,
			HttpServletRequest request) {
		return answer(this.api.channel(appId, channel, withoutBody(request)));
	}

	/**
	 * The users of a presence channel.
	 * @param appId the app id
	 * @param channel the presence channel
	 * @param request the signed request
	 * @return see {@link HttpApi#users}
	 */
	@GetMapping("/apps/{appId}/channels/{channel}/users")
	public ResponseEntity<String> users(@PathVariable String appId, @PathVariable String channel,
			HttpServletRequest request) {
		return answer(this.api.users(appId, channel, withoutBody(request)));
	}

	/**
	 * Close every connection of a signed-in user, on every node.
	 * @param appId the app id
	 * @param userId the user id
	 * @param request the signed request
	 * @return see {@link HttpApi#terminateConnections}
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("/apps/{appId}/users/{userId}/terminate_connections")
	public ResponseEntity<String> terminateConnections(@PathVariable String appId, @PathVariable String userId,
			HttpServletRequest request) throws IOException {
		return answer(this.api.terminateConnections(appId, userId, withBody(request)));
	}

	/**
	 * Answer a refused request.
	 * @param ex why it was refused
	 * @return the status with the message as plain text
	 */
	@ExceptionHandler(HttpApiException.class)
	public ResponseEntity<String> refused(HttpApiException ex) {
		return answer(this.api.refused(ex));
	}

	private HttpApi.Request withBody(HttpServletRequest request) throws IOException {
		try (InputStream in = request.getInputStream()) {
			return new HttpApi.Request(request.getMethod(), path(request), request.getQueryString(),
					this.api.readBody(request.getContentLengthLong(), in));
		}
	}

	private static HttpApi.Request withoutBody(HttpServletRequest request) {
		return new HttpApi.Request(request.getMethod(), path(request), request.getQueryString(), new byte[0]);
	}

	/** The path as the client signed it: without the servlet context path. */
	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	private static ResponseEntity<String> answer(HttpApi.Answer answer) {
		return ResponseEntity.status(answer.status())
			.contentType(MediaType.parseMediaType(answer.contentType()))
			.body(answer.body());
	}

}
