package dev.realtime.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pusher.rest.Pusher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose WebSocket side is full: on the Servlet transport Tomcat accepts 50
 * connections in all and the starter 40 WebSockets, so of 50 attempts 40 are greeted and
 * 10 refused with 4100 before {@code connection_established}, and the signed HTTP API, the
 * auth endpoint and actuator still answer (the 10 connections left to Tomcat are theirs).
 * Without the starter's limit the 50 WebSockets would take every connection Tomcat has and
 * the HTTP requests below would time out.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=secret",
				"server.tomcat.max-connections=50", "realtime.limits.max-connections=40" })
class CapacityIntegrationTests {

	static final int ATTEMPTS = 50;

	static final int ADMITTED = 40;

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	private final List<PusherTestClient> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

	/**
	 * The port clients open WebSockets on; the application's own port unless a transport
	 * has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	@Test
	void withTheWebSocketSideFullHttpStillAnswers() throws Exception {
		List<PusherTestClient> admitted = new ArrayList<>();
		String socketId = null;
		int refused = 0;
		for (int i = 0; i < ATTEMPTS; i++) {
			PusherTestClient client = PusherTestClient.open(webSocketPort(), "/app/test-key?protocol=7&client=js");
			this.clients.add(client);
			JsonNode first = client.expect(
					(admitted.size() < ADMITTED) ? "pusher:connection_established" : "pusher:error");
			if (first.get("event").stringValue().equals("pusher:error")) {
				assertThat(first.get("data").get("code").intValue()).isEqualTo(4100);
				assertThat(client.awaitClose()).isEqualTo(4100);
				refused++;
			}
			else {
				admitted.add(client);
				socketId = first.get("data").get("socket_id").stringValue();
			}
		}
		assertThat(admitted).hasSize(ADMITTED);
		assertThat(refused).isEqualTo(ATTEMPTS - ADMITTED);
		for (PusherTestClient client : admitted) {
			client.send("pusher:subscribe", Map.of("channel", "news"));
			client.expect("pusher_internal:subscription_succeeded");
		}

		String body = "{\"name\":\"flash\",\"channel\":\"news\",\"data\":\"{\\\"n\\\":1}\"}";
		Pusher sdk = new Pusher("1", "test-key", "secret");
		URI signed = sdk.signedUri("POST", "/apps/1/events", body);
		sdk.close();
		HttpResponse<String> published = send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + signed.getRawPath() + "?" + signed.getRawQuery()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(published.statusCode()).isEqualTo(200);
		for (PusherTestClient client : admitted) {
			assertThat(client.expect("flash").get("data").get("n").intValue()).isEqualTo(1);
		}

		HttpResponse<String> auth = send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/broadcasting/auth"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header(TestApplication.USER_HEADER, "alice")
			.POST(HttpRequest.BodyPublishers.ofString("socket_id=" + URLEncoder.encode(socketId, StandardCharsets.UTF_8)
					+ "&channel_name=private-room")));
		assertThat(auth.statusCode()).isEqualTo(200);
		assertThat(auth.body()).contains("\"auth\"");

		HttpResponse<String> health = send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).GET());
		assertThat(health.statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
