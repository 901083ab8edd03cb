package dev.realtime.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the auth endpoints as pusher-js does (form-encoded POST).
 */
final class AuthClient {

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	AuthClient(int port) {
		this.port = port;
	}

	HttpResponse<String> post(String path, String user, String form) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (user != null) {
			request.header(TestApplication.USER_HEADER, user);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	HttpResponse<String> channelAuth(String user, String socketId, String channel) {
		return post("/broadcasting/auth", user, "socket_id=" + encode(socketId) + "&channel_name=" + encode(channel));
	}

	/** The JSON an allowed channel authorization answers. */
	JsonNode authorize(String user, String socketId, String channel) {
		HttpResponse<String> response = channelAuth(user, socketId, channel);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Auth failed with " + response.statusCode() + ": " + response.body());
		}
		return JsonMapper.shared().readTree(response.body());
	}

	HttpResponse<String> userAuth(String user, String socketId) {
		return post("/broadcasting/user-auth", user, "socket_id=" + encode(socketId));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
