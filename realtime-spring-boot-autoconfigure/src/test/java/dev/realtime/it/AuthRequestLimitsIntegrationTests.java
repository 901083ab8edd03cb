package dev.realtime.it;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth endpoints read at most {@code realtime.auth.max-body-size} of a body, whatever
 * its encoding and whether its length is announced, and refuse JSON nested deeper than a
 * sign-in request ever is: one anonymous request must not be able to fill the heap.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key",
				"realtime.apps[0].secret=test-secret" })
class AuthRequestLimitsIntegrationTests {

	private static final int ONE_MEGABYTE = 1024 * 1024;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void aJsonBodyOverTheLimitIsRefusedWith413() throws Exception {
		HttpResponse<String> response = post("/broadcasting/auth", "application/json",
				HttpRequest.BodyPublishers.ofString(paddedJson(ONE_MEGABYTE)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("at most 16384 bytes");
	}

	@Test
	void aChunkedJsonBodyOverTheLimitIsRefusedWith413() throws Exception {
		byte[] body = paddedJson(ONE_MEGABYTE).getBytes(StandardCharsets.UTF_8);
		// From a stream: sent chunked, without a Content-Length to refuse up front.
		HttpResponse<String> response = post("/broadcasting/auth", "application/json",
				HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("at most 16384 bytes");
	}

	@Test
	void aFormBodyOverTheLimitIsRefusedWith413() throws Exception {
		String form = "socket_id=1.1&channel_name=private-a&pad=" + "x".repeat(ONE_MEGABYTE);
		HttpResponse<String> response = post("/broadcasting/auth", "application/x-www-form-urlencoded",
				HttpRequest.BodyPublishers.ofString(form));
		assertThat(response.statusCode()).isEqualTo(413);
		byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> chunked = post("/broadcasting/auth", "application/x-www-form-urlencoded",
				HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
		assertThat(chunked.statusCode()).isEqualTo(413);
	}

	@Test
	void theUserAuthEndpointHasTheSameLimit() throws Exception {
		HttpResponse<String> json = post("/broadcasting/user-auth", "application/json",
				HttpRequest.BodyPublishers.ofString(paddedJson(ONE_MEGABYTE)));
		assertThat(json.statusCode()).isEqualTo(413);
		HttpResponse<String> form = post("/broadcasting/user-auth", "application/x-www-form-urlencoded",
				HttpRequest.BodyPublishers.ofString("socket_id=1.1&pad=" + "x".repeat(ONE_MEGABYTE)));
		assertThat(form.statusCode()).isEqualTo(413);
	}

	@Test
	void deeplyNestedJsonIsABadRequest() throws Exception {
		String nested = "{\"socket_id\":\"1.1\",\"channel_name\":\"private-a\",\"x\":" + "[".repeat(200)
				+ "]".repeat(200) + "}";
		HttpResponse<String> response = post("/broadcasting/auth", "application/json",
				HttpRequest.BodyPublishers.ofString(nested));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("nested");
	}

	@Test
	void requestsWithinTheLimitAreStillAnswered() throws Exception {
		HttpResponse<String> json = post("/broadcasting/auth", "application/json",
				HttpRequest.BodyPublishers.ofString(paddedJson(1000)));
		assertThat(json.statusCode()).isEqualTo(200);
		HttpResponse<String> form = post("/broadcasting/auth", "application/x-www-form-urlencoded",
				HttpRequest.BodyPublishers.ofString("socket_id=1.1&channel_name=private-a%2Db"));
		assertThat(form.statusCode()).isEqualTo(200);
		assertThat(form.body()).contains("\"auth\"");
	}

	@Test
	void aMultipartBodyIsRefusedWith415BeforeItIsRead() throws Exception {
		for (String path : new String[] { "/broadcasting/auth", "/broadcasting/user-auth" }) {
			PartlySentRequest.Answer announced = multipart(path).header("Content-Length", String.valueOf(5 * ONE_MEGABYTE))
				.sendOnly(this.port, multipartStart());
			assertThat(announced.status()).as(path).isEqualTo(415);
			assertThat(announced.body()).contains("application/x-www-form-urlencoded");
			PartlySentRequest.Answer chunked = multipart(path).sendChunkedOnly(this.port, multipartStart());
			assertThat(chunked.status()).as(path).isEqualTo(415);
		}
	}

	@Test
	void aFormBodyOverTheLimitIsRefusedBeforeTheRestIsSent() throws Exception {
		byte[] start = ("socket_id=1.1&channel_name=private-a&pad=" + "x".repeat(64 * 1024))
			.getBytes(StandardCharsets.US_ASCII);
		PartlySentRequest.Answer announced = PartlySentRequest.post("/broadcasting/auth")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Content-Length", String.valueOf(ONE_MEGABYTE))
			.sendOnly(this.port, start);
		assertThat(announced.status()).isEqualTo(413);
		PartlySentRequest.Answer chunked = PartlySentRequest.post("/broadcasting/auth")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.sendChunkedOnly(this.port, start);
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.body()).contains("at most 16384 bytes");
	}

	@Test
	void theHttpApiRefusesAMultipartBodyBeforeReadingIt() throws Exception {
		PartlySentRequest.Answer answer = multipart("/apps/1/events").sendChunkedOnly(this.port, multipartStart());
		assertThat(answer.status()).isEqualTo(415);
		assertThat(answer.body()).contains("application/json");
	}

	/** A multipart request, as a form with a file input would send it. */
	static PartlySentRequest multipart(String path) {
		return PartlySentRequest.post(path).header("Content-Type", "multipart/form-data; boundary=b");
	}

	/** The first 64 KB of a multipart body whose only part is larger. */
	static byte[] multipartStart() {
		return ("--b\r\nContent-Disposition: form-data; name=\"pad\"; filename=\"pad.bin\"\r\n\r\n" + "x".repeat(64 * 1024))
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static String paddedJson(int padding) {
		return "{\"socket_id\":\"1.1\",\"channel_name\":\"private-a\",\"pad\":\"" + "x".repeat(padding) + "\"}";
	}

	private HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body)
			throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", contentType)
			.header(TestApplication.USER_HEADER, "alice")
			.timeout(Duration.ofSeconds(20))
			.POST(body)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
