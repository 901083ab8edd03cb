package dev.realtime.it;

import java.net.http.HttpResponse;
import java.util.Map;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter in applications with {@code spring-boot-starter-security} and CSRF at its
 * default, driven by the official Pusher server SDK, a WebSocket client and a browser-like
 * client that logs in through the login form: Spring Boot's default filter chain (the plain
 * one, and the actuator's), and an application's own permit-all chain (where every signed
 * publish used to be answered 403).
 */
class SecuredApplicationIntegrationTests {

	private static final String APP_ID = "7";

	private static final String KEY = "secured-key";

	private static final String SECRET = "secured-secret";

	private static final String PAGE_ORIGIN = "http://pages.example.com";

	/**
	 * Clears this module's exclusion of Spring Boot's security auto-configuration, but for
	 * the actuator's chain, so that the default chain is Spring Boot's plain one (the
	 * actuator's adds CORS of its own).
	 */
	private static final String PROPERTIES = "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	private static final JsonMapper json = JsonMapper.shared();

	@Nested
	@SpringBootTest(classes = DefaultChainApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { PROPERTIES, "realtime.apps[0].id=" + APP_ID, "realtime.apps[0].key=" + KEY,
					"realtime.apps[0].secret=" + SECRET, "spring.security.user.name=alice",
					"spring.security.user.password=wonderland", "realtime.auth.allowed-origins=" + PAGE_ORIGIN })
	class WithBootsDefaultChain extends Scenarios {

		@Test
		void authEndpointsRequireTheLogin() {
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = new Browser(this.port).postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders"));
				assertThat(response.statusCode()).isIn(401, 302);
			}
		}

		@Test
		void corsPreflightFromAnAllowedOriginIsAnsweredBeforeAuthentication() {
			HttpResponse<String> preflight = this.browser.send(this.browser.request("/broadcasting/auth")
				.method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
				.header("Origin", PAGE_ORIGIN)
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "content-type,x-csrf-token"));
			assertThat(preflight.statusCode()).isEqualTo(200);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE_ORIGIN);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
				.containsIgnoringCase("x-csrf-token");
		}

		@Test
		void corsPreflightFromAnotherOriginIsRefused() {
			HttpResponse<String> preflight = this.browser.send(this.browser.request("/broadcasting/auth")
				.method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
				.header("Origin", "http://evil.example.com")
				.header("Access-Control-Request-Method", "POST"));
			assertThat(preflight.statusCode()).isEqualTo(403);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		}

		@Test
		void credentialedCrossOriginAuthIsAnsweredWithTheCorsHeaders() {
			this.browser.logIn("alice", "wonderland");
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders"), "Origin", PAGE_ORIGIN,
						"X-CSRF-TOKEN", csrfToken());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE_ORIGIN);
				assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
			}
		}

	}

	@Nested
	@SpringBootTest(classes = DefaultChainApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.autoconfigure.exclude=", "realtime.apps[0].id=" + APP_ID,
					"realtime.apps[0].key=" + KEY, "realtime.apps[0].secret=" + SECRET,
					"spring.security.user.name=alice", "spring.security.user.password=wonderland" })
	class WithTheActuatorsDefaultChain extends Scenarios {

		@Autowired
		private ApplicationContext context;

		@Test
		void theActuatorsChainStaysBehindTheRealtimeChain() {
			assertThat(this.context.getBean(FilterChainProxy.class).getFilterChains()).containsExactly(
					this.context.getBean("realtimeSecurityFilterChain", SecurityFilterChain.class),
					this.context.getBean("managementSecurityFilterChain", SecurityFilterChain.class));
		}

	}

	@Nested
	@SpringBootTest(classes = PermitAllChainApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { PROPERTIES, "realtime.apps[0].id=" + APP_ID, "realtime.apps[0].key=" + KEY,
					"realtime.apps[0].secret=" + SECRET, "spring.security.user.name=alice",
					"spring.security.user.password=wonderland" })
	class WithAnApplicationsPermitAllChain extends Scenarios {

	}

	/**
	 * What works the same under either chain.
	 */
	abstract static class Scenarios {

		@LocalServerPort
		int port;

		Browser browser;

		private Pusher pusher;

		@BeforeEach
		void createClients() {
			this.browser = new Browser(this.port);
			this.pusher = new Pusher(APP_ID, KEY, SECRET);
			this.pusher.setHost("localhost:" + this.port);
		}

		@AfterEach
		void closeSdk() throws Exception {
			this.pusher.close();
		}

		@Test
		void signedPublishesNeedNoCsrfTokenNorLogin() {
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				client.send("pusher:subscribe", Map.of("channel", "news"));
				client.expect("pusher_internal:subscription_succeeded");
				Result result = this.pusher.trigger("news", "headline", Map.of("title", "secured"));
				assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
				assertThat(client.expect("headline").get("data").toString()).contains("secured");
			}
		}

		@Test
		void unsignedHttpApiRequestsAreStillRefusedByTheSignatureCheck() {
			HttpResponse<String> response = this.browser.postForm("/apps/" + APP_ID + "/events",
					Map.of("name", "x"));
			assertThat(response.statusCode()).isEqualTo(401);
		}

		@Test
		void loggedInUserJoinsAPresenceChannelAsTheirAuthentication() {
			this.browser.logIn("alice", "wonderland");
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "presence-lobby"), "X-CSRF-TOKEN",
						csrfToken());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				JsonNode auth = json.readTree(response.body());
				JsonNode member = json.readTree(auth.get("channel_data").stringValue());
				assertThat(member.get("user_id").stringValue()).isEqualTo("alice");
				assertThat(member.get("user_info").get("authentication").stringValue())
					.isEqualTo("UsernamePasswordAuthenticationToken");
				client.send("pusher:subscribe", Map.of("channel", "presence-lobby", "auth",
						auth.get("auth").stringValue(), "channel_data", auth.get("channel_data").stringValue()));
				client.expect("pusher_internal:subscription_succeeded");
			}
		}

		@Test
		void authEndpointsAcceptTheAxiosHeaderToo() {
			this.browser.logIn("alice", "wonderland");
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders"), "X-XSRF-TOKEN",
						csrfToken());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			}
		}

		@Test
		void authWithoutCsrfTokenIsRefused() {
			this.browser.logIn("alice", "wonderland");
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders"));
				assertThat(response.statusCode()).isEqualTo(403);
				HttpResponse<String> forged = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders"), "X-CSRF-TOKEN",
						"forged");
				assertThat(forged.statusCode()).isEqualTo(403);
			}
		}

		@Test
		void theCsrfTokenMayStillComeInTheFormBody() {
			this.browser.logIn("alice", "wonderland");
			try (PusherTestClient client = PusherTestClient.connect(this.port, KEY)) {
				HttpResponse<String> response = this.browser.postForm("/broadcasting/auth",
						Map.of("socket_id", client.socketId(), "channel_name", "private-orders", "_csrf", csrfToken()));
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			}
		}

		/**
		 * The CSRF filter reads the {@code _csrf} parameter of a request without the token in
		 * a header, which made the container parse the body (a multipart one up to 10 MB,
		 * spooled to disk; a form up to 2 MB) before anything refused it.
		 */
		@Test
		void anonymousBodiesAreRefusedBeforeTheFilterChainsReadThem() throws Exception {
			for (String path : new String[] { "/broadcasting/auth", "/apps/" + APP_ID + "/events" }) {
				PartlySentRequest.Answer multipart = AuthRequestLimitsIntegrationTests.multipart(path)
					.sendChunkedOnly(this.port, AuthRequestLimitsIntegrationTests.multipartStart());
				assertThat(multipart.status()).as(path).isEqualTo(415);
			}
			byte[] form = ("socket_id=1.1&channel_name=private-a&pad=" + "x".repeat(64 * 1024))
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
			PartlySentRequest.Answer announced = PartlySentRequest.post("/broadcasting/auth")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Content-Length", String.valueOf(1024 * 1024))
				.sendOnly(this.port, form);
			assertThat(announced.status()).isEqualTo(413);
			PartlySentRequest.Answer chunked = PartlySentRequest.post("/broadcasting/auth")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.sendChunkedOnly(this.port, form);
			assertThat(chunked.status()).isEqualTo(413);
		}

		/** The token as a page renders it ({@code <meta name="csrf-token" content="${_csrf.token}">}). */
		String csrfToken() {
			HttpResponse<String> token = this.browser.get("/csrf-token");
			assertThat(token.statusCode()).isEqualTo(200);
			return token.body();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CsrfTokenController.class)
	static class DefaultChainApplication {

		@Bean
		Authorizer authorizer() {
			return (request) -> {
				if (!(request.user() instanceof Authentication authentication) || !authentication.isAuthenticated()) {
					return AuthResult.deny("not logged in");
				}
				if (request.type().isPresence()) {
					return AuthResult.allow(new Member(authentication.getName(),
							"{\"authentication\":\"" + authentication.getClass().getSimpleName() + "\"}"));
				}
				return AuthResult.allow();
			};
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ DefaultChainApplication.class, CsrfTokenController.class })
	static class PermitAllChainApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.formLogin(Customizer.withDefaults())
				.build();
		}

	}

	@RestController
	static class CsrfTokenController {

		@GetMapping("/csrf-token")
		String csrfToken(CsrfToken token) {
			return token.getToken();
		}

	}

}
