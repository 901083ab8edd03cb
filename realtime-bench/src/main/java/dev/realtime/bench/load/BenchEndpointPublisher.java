package dev.realtime.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the server to publish in process: one HTTP call to {@code POST /bench/publish},
 * which runs the fixed-rate loop inside the server (the realtime sample app publishes
 * through its {@code Realtime} bean, the STOMP baseline through
 * {@code SimpMessagingTemplate}) and answers when done.
 */
public final class BenchEndpointPublisher implements Publisher {

	private static final Pattern NUMBER = Pattern.compile("\"(published|elapsedMs)\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String baseUrl;

	/**
	 * A publisher calling a server's bench endpoint.
	 * @param baseUrl e.g. {@code http://127.0.0.1:8080}
	 */
	public BenchEndpointPublisher(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	@Override
	public Published publish(int channels, int rate, int seconds, long first) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.baseUrl + "/bench/publish?channels=" + channels + "&rate=" + rate
					+ "&seconds=" + seconds + "&first=" + first))
			.timeout(Duration.ofSeconds(seconds + 60L))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("bench publish: HTTP " + response.statusCode() + " " + response.body());
		}
		long published = -1;
		long elapsed = -1;
		Matcher matcher = NUMBER.matcher(response.body());
		while (matcher.find()) {
			long value = Long.parseLong(matcher.group(2));
			if (matcher.group(1).equals("published")) {
				published = value;
			}
			else {
				elapsed = value;
			}
		}
		return new Published(published, elapsed);
	}

}
