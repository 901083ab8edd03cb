package dev.realtime.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pusher.rest.Pusher;
import dev.realtime.OutboxWaitRecorder;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real scrape of {@code /actuator/prometheus} with {@code micrometer-registry-prometheus}
 * on the class path: every realtime meter is there under its Prometheus name, with the
 * latency histograms and the close-code counters filled by real traffic (a WebSocket
 * client, the auth endpoint, the HTTP API through the Pusher Java SDK); and every name the
 * Grafana dashboard in {@code docs/grafana-dashboard.json} reads is in it.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=9", "realtime.apps[0].key=prom-key", "realtime.apps[0].secret=prom-secret",
				"management.endpoints.web.exposure.include=prometheus",
				"management.defaults.metrics.export.enabled=true" })
class PrometheusScrapeIntegrationTests {

	/** What the Grafana dashboard in docs/ reads; a rename must update both. */
	private static final List<String> METERS = List.of("realtime_connections ", "realtime_channels ",
			"realtime_subscriptions ", "realtime_messages_received_total", "realtime_messages_sent_total",
			"realtime_bytes_received_total", "realtime_bytes_sent_total", "realtime_messages_dropped_total",
			"realtime_broadcaster_dropped_total", "realtime_slow_consumer_disconnects_total",
			"realtime_auth_denials_total", "realtime_client_events_rejected_total", "realtime_errors_total",
			"realtime_events_dropped_total", "realtime_events_queued ", "realtime_connections_opened_total",
			"realtime_connections_closed_total{code=\"1000\"}",
			"realtime_auth_duration_seconds_bucket{endpoint=\"channel\",outcome=\"SUCCESS\",le=\"0.005\"}",
			"realtime_auth_duration_seconds_count{endpoint=\"channel\",outcome=\"SUCCESS\"}",
			"realtime_http_api_publish_duration_seconds_bucket{endpoint=\"events\",outcome=\"SUCCESS\",le=\"0.1\"}",
			"realtime_http_api_publish_duration_seconds_count{endpoint=\"events\",outcome=\"SUCCESS\"}",
			"realtime_outbox_wait_seconds_bucket{le=\"0.001\"}", "realtime_outbox_wait_seconds_count");

	private static final Path DASHBOARD = Path.of("../docs/grafana-dashboard.json");

	@LocalServerPort
	private int port;

	@Autowired
	private Realtime realtime;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * The port clients open WebSockets on and publish to; the application's own port
	 * unless a transport has its own.
	 * @return the port
	 */
	protected int realtimePort() {
		return this.port;
	}

	@Test
	void theScrapeHasEveryRealtimeMeter() throws Exception {
		PusherTestClient client = PusherTestClient.connect(realtimePort(), "prom-key");
		new AuthClient(this.port).authorize("alice", client.socketId(), "private-metrics");
		try (Pusher pusher = new Pusher("9", "prom-key", "prom-secret")) {
			pusher.setHost("localhost:" + realtimePort());
			assertThat(pusher.trigger("news", "e", Map.of("n", 1)).getHttpStatus()).isEqualTo(200);
		}
		// Enough broadcasts to a subscriber for its sampled outbox waits (one in 64).
		client.send("pusher:subscribe", Map.of("channel", "ticks"));
		client.expect("pusher_internal:subscription_succeeded");
		// In rounds that fit the outbox (64), which drops what does not.
		for (int round = 0; round < 8; round++) {
			for (int i = 0; i < OutboxWaitRecorder.SAMPLE_INTERVAL / 4; i++) {
				this.realtime.publish("ticks", "tick", Map.of("i", i));
			}
			for (int i = 0; i < OutboxWaitRecorder.SAMPLE_INTERVAL / 4; i++) {
				client.expect("tick");
			}
		}
		client.closeWith(1000);
		await().untilAsserted(() -> assertThat(scrape()).contains("realtime_connections_closed_total{code=\"1000\"}"));
		String scrape = scrape();
		assertThat(scrape).contains(METERS);
		assertThat(scrape).contains("realtime_connections_opened_total 1.0");
		// Every meter the dashboard reads is scraped (the Redis ones only with the Redis broadcaster).
		Matcher names = Pattern.compile("realtime_[a-z_]+").matcher(Files.readString(DASHBOARD));
		List<String> used = names.results().map(MatchResult::group).distinct().toList();
		assertThat(used).hasSizeGreaterThan(15);
		assertThat(used).filteredOn((name) -> !name.startsWith("realtime_redis_"))
			.allSatisfy((name) -> assertThat(scrape).contains(name));
		assertThat(scrape).contains("realtime_connections_closed_total{code=\"1000\"} 1.0");
		assertThat(scrape).containsPattern("realtime_outbox_wait_seconds_count [1-9]");
	}

	private String scrape() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
