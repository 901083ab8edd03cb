package dev.realtime.it;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser-like HTTP client of a Spring Security application: keeps cookies, does not
 * follow redirects, logs in through the real login form.
 */
final class Browser {

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final int port;

	Browser(int port) {
		this.port = port;
	}

	/** Log in with Spring Security's login page, as a person would: its form carries the CSRF token. */
	void logIn(String username, String password) {
		HttpResponse<String> page = get("/login");
		assertThat(page.statusCode()).as("login page").isEqualTo(200);
		Matcher csrf = CSRF_FIELD.matcher(page.body());
		assertThat(csrf.find()).as("CSRF field in the login form").isTrue();
		HttpResponse<String> login = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
			.POST(form(Map.of("username", username, "password", password, "_csrf", csrf.group(1)))));
		assertThat(login.statusCode()).as("login answer").isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).as("redirect after login").hasValueSatisfying(
				(location) -> assertThat(location).doesNotContain("error"));
	}

	HttpResponse<String> get(String path) {
		return send(request(path).GET());
	}

	HttpResponse<String> postForm(String path, Map<String, String> fields, String... headers) {
		HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(form(fields));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request);
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
		return HttpRequest.BodyPublishers.ofString(fields.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&")));
	}

}
