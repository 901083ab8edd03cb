package dev.realtime.http;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The JSON answers of the auth endpoints, as pusher-js reads them: the signed body, or
 * {@code {"error": "..."}} with the status.
 */
final class AuthResponses {

	private AuthResponses() {
	}

	static ResponseEntity<String> json(JsonMapper jsonMapper, HttpStatus status, ObjectNode body) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(jsonMapper.writeValueAsString(body));
	}

	static ResponseEntity<String> error(JsonMapper jsonMapper, HttpStatus status, String message) {
		ObjectNode body = jsonMapper.createObjectNode();
		body.put("error", message);
		return json(jsonMapper, status, body);
	}

}
