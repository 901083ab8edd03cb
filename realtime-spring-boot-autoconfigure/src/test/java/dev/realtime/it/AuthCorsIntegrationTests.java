package dev.realtime.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS of the auth endpoints without Spring Security ({@code realtime.auth.allowed-origins}):
 * a page served from another origin sends a preflight, then POSTs with its cookies.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "realtime.auth.allowed-origins=https://*.example.com")
class AuthCorsIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void preflightFromAnAllowedOriginAllowsCredentialsAndEchosHeader() {
		for (String path : new String[] { "/broadcasting/auth", "/broadcasting/user-auth" }) {
			HttpResponse<String> preflight = preflight(path, "https://chat.example.com");
			assertThat(preflight.statusCode()).as(path).isEqualTo(200);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
				.hasValue("https://chat.example.com");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
				.containsIgnoringCase("x-csrf-token");
		}
	}

	@Test
	void preflightFromAnotherOriginIsRefused() {
		HttpResponse<String> preflight = preflight("/broadcasting/auth", "https://example.org");
		assertThat(preflight.statusCode()).isEqualTo(403);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void credentialedPostIsAnsweredWithTheCorsHeaders() {
		try (PusherTestClient client = PusherTestClient.connect(this.port, "app-key")) {
			HttpResponse<String> response = new Browser(this.port).postForm("/broadcasting/auth",
					Map.of("socket_id", client.socketId(), "channel_name", "private-orders"), "Origin",
					"https://chat.example.com", TestApplication.USER_HEADER, "alice");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://chat.example.com");
			assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
		}
	}

	private HttpResponse<String> preflight(String path, String origin) {
		Browser browser = new Browser(this.port);
		return browser.send(browser.request(path)
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type,x-csrf-token"));
	}

}
