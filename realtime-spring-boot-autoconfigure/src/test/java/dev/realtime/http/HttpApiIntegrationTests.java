package dev.realtime.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pusher.rest.Pusher;
import com.pusher.rest.crypto.CryptoUtil;
import com.pusher.rest.data.EncryptedMessage;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.Member;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.PusherSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API driven by the official Pusher Java server SDK, plus hand-built bad
 * requests, against a running server; deliveries are checked on connections added to the
 * hub.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=3", "realtime.apps[0].key=278d425bdf160c739803",
				"realtime.apps[0].secret=7ad3773142a6692b25b8", "realtime.http-api.max-payload-size=1KB",
				"realtime.encryption-master-key=" + HttpApiIntegrationTests.MASTER_KEY })
class HttpApiIntegrationTests {

	private static final String KEY = "278d425bdf160c739803";

	private static final String SECRET = "7ad3773142a6692b25b8";

	static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private final JsonMapper json = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Client> clients = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private Hub hub;

	@Autowired
	private CacheChannels cacheChannels;

	private Pusher pusher;

	/**
	 * The port the HTTP API is asked on.
	 * @return the application's port here
	 */
	protected int apiPort() {
		return this.port;
	}

	@BeforeEach
	void createSdk() {
		this.pusher = new Pusher("3", KEY, SECRET);
		this.pusher.setHost("localhost:" + apiPort());
	}

	@AfterEach
	void closeConnections() throws Exception {
		this.clients.forEach(this.hub::remove);
		this.pusher.close();
	}

	@Test
	void triggerReachesTheChannelsSubscribers() {
		RecordingConn conn = subscribe("orders");
		Result result = this.pusher.trigger("orders", "order-placed", Map.of("id", 42));
		assertThat(result.getHttpStatus()).isEqualTo(200);
		assertThat(result.getMessage()).isEqualTo("{}");
		await().until(() -> conn.received("order-placed"));
		assertThat(conn.frames).last()
			.isEqualTo("{\"event\":\"order-placed\",\"channel\":\"orders\",\"data\":\"{\\\"id\\\":42}\"}");
	}

	@Test
	void triggerToSeveralChannelsAndExcludingASocket() {
		RecordingConn first = subscribe("alpha");
		RecordingConn second = subscribe("beta");
		Client excluded = this.clients.get(1);
		Result result = this.pusher.trigger(List.of("alpha", "beta"), "news", "hello", excluded.id());
		assertThat(result.getHttpStatus()).isEqualTo(200);
		await().until(() -> first.received("news"));
		// Published after, on the same path: once it arrives the excluded event would have too.
		this.pusher.trigger("beta", "marker", "m");
		await().until(() -> second.received("marker"));
		assertThat(second.received("news")).isFalse();
	}

	@Test
	void eventsTheSdkEncryptedAreRelayedAsSentNotEncryptedAgain() throws Exception {
		RecordingConn conn = subscribe("private-encrypted-ledger");
		try (Pusher encrypting = new Pusher("3", KEY, SECRET, MASTER_KEY)) {
			encrypting.setHost("localhost:" + this.port);
			assertThat(encrypting.trigger("private-encrypted-ledger", "entry", Map.of("amount", 12)).getHttpStatus())
				.isEqualTo(200);
		}
		await().until(() -> conn.received("entry"));
		String frame = conn.frames.stream().filter((text) -> text.contains("\"event\":\"entry\"")).findFirst().orElseThrow();
		JsonNode data = this.json.readTree(this.json.readTree(frame).get("data").stringValue());
		EncryptedMessage message = new EncryptedMessage(data.get("nonce").stringValue(),
				data.get("ciphertext").stringValue());
		assertThat(new CryptoUtil(MASTER_KEY).decrypt("private-encrypted-ledger", message)).isEqualTo("{\"amount\":12}");
	}

	@Test
	void anEventToSeveralChannelsOneOfThemEncryptedIsRefusedAsTheSdksRefuseIt() throws Exception {
		RecordingConn plain = subscribe("plain-news");
		String body = "{\"name\":\"e\",\"channels\":[\"plain-news\",\"private-encrypted-x\"],\"data\":\"{}\"}";
		HttpResponse<String> response = send("POST", "/apps/3/events", body, Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("You cannot trigger to multiple channels when using encrypted channels");
		// Nothing of the refused request was published: a later event arrives alone.
		this.pusher.trigger("plain-news", "marker", "m");
		await().until(() -> plain.received("marker"));
		assertThat(plain.received("\"e\"")).isFalse();
	}

	@Test
	void batchTriggerPublishesEveryEvent() {
		RecordingConn conn = subscribe("batch-channel");
		Result result = this.pusher.trigger(List.of(new Event("batch-channel", "one", "1"),
				new Event("batch-channel", "two", "2")));
		assertThat(result.getHttpStatus()).isEqualTo(200);
		await().until(() -> conn.received("\"two\""));
		assertThat(conn.received("\"one\"")).isTrue();
	}

	@Test
	void publishAnswersInfoWhenAsked() throws Exception {
		subscribe("presence-room", new Member("u1", "{}"));
		subscribe("presence-room", new Member("u1", "{}"));
		String body = "{\"name\":\"e\",\"channels\":[\"presence-room\"],\"data\":\"{}\",\"info\":\"user_count,subscription_count\"}";
		HttpResponse<String> response = send("POST", "/apps/3/events", body, Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode channel = this.json.readTree(response.body()).get("channels").get("presence-room");
		assertThat(channel.get("subscription_count").asInt()).isEqualTo(2);
		assertThat(channel.get("user_count").asInt()).isEqualTo(1);
	}

	@Test
	void channelsListsOccupiedChannelsWithFilterAndInfo() {
		subscribe("presence-lobby", new Member("a", "{}"));
		subscribe("presence-lobby", new Member("b", "{}"));
		subscribe("public-news");
		Result all = this.pusher.get("/channels");
		JsonNode channels = this.json.readTree(all.getMessage()).get("channels");
		assertThat(channels.has("presence-lobby")).isTrue();
		assertThat(channels.has("public-news")).isTrue();
		Result presence = this.pusher.get("/channels",
				Map.of("filter_by_prefix", "presence-", "info", "user_count,subscription_count"));
		assertThat(presence.getHttpStatus()).isEqualTo(200);
		JsonNode filtered = this.json.readTree(presence.getMessage()).get("channels");
		assertThat(filtered.has("public-news")).isFalse();
		assertThat(filtered.get("presence-lobby").get("user_count").asInt()).isEqualTo(2);
		assertThat(filtered.get("presence-lobby").get("subscription_count").asInt()).isEqualTo(2);
	}

	@Test
	void channelAnswersOccupationAndCounts() {
		subscribe("presence-desk", new Member("a", "{}"));
		Result result = this.pusher.get("/channels/presence-desk", Map.of("info", "user_count,subscription_count"));
		JsonNode channel = this.json.readTree(result.getMessage());
		assertThat(channel.get("occupied").asBoolean()).isTrue();
		assertThat(channel.get("user_count").asInt()).isEqualTo(1);
		assertThat(channel.get("subscription_count").asInt()).isEqualTo(1);
		JsonNode empty = this.json.readTree(this.pusher.get("/channels/nobody-here").getMessage());
		assertThat(empty.get("occupied").asBoolean()).isFalse();
		assertThat(this.pusher.get("/channels/public-x", Map.of("info", "user_count")).getHttpStatus())
			.isEqualTo(400);
	}

	@Test
	void usersListsPresenceMembers() {
		subscribe("presence-team", new Member("alice", "{}"));
		subscribe("presence-team", new Member("bob", "{}"));
		Result result = this.pusher.get("/channels/presence-team/users");
		assertThat(this.json.readTree(result.getMessage()).get("users").findValuesAsString("id"))
			.containsExactlyInAnyOrder("alice", "bob");
		Result notPresence = this.pusher.get("/channels/private-x/users");
		assertThat(notPresence.getHttpStatus()).isEqualTo(400);
	}

	@Test
	void terminateConnectionsClosesTheUsersConnections() {
		RecordingConn mine = new RecordingConn();
		Client client = this.hub.add(mine);
		this.clients.add(client);
		this.hub.signIn(client, "user-7");
		RecordingConn other = subscribe("lobby");
		Result result = this.pusher.post("/users/user-7/terminate_connections", "{}");
		assertThat(result.getHttpStatus()).isEqualTo(200);
		await().until(() -> mine.closed != null);
		assertThat(mine.closed).isEqualTo(CloseReason.TERMINATED);
		assertThat(other.closed).isNull();
	}

	@Test
	void wrongSecretIsUnauthorized() throws Exception {
		Pusher wrong = new Pusher("3", KEY, "not-the-secret");
		wrong.setHost("localhost:" + apiPort());
		Result result = wrong.trigger("orders", "e", "x");
		assertThat(result.getHttpStatus()).isEqualTo(401);
		assertThat(result.getMessage()).contains("Invalid signature");
		wrong.close();
	}

	@Test
	void unknownAppIsNotFound() throws Exception {
		Pusher other = new Pusher("99", KEY, SECRET);
		other.setHost("localhost:" + apiPort());
		assertThat(other.trigger("orders", "e", "x").getHttpStatus()).isEqualTo(404);
		other.close();
	}

	@Test
	void staleTimestampIsUnauthorized() throws Exception {
		long stale = System.currentTimeMillis() / 1000 - 601;
		HttpResponse<String> response = send("POST", "/apps/3/events",
				"{\"name\":\"e\",\"channel\":\"c\",\"data\":\"x\"}", Map.of("auth_timestamp", String.valueOf(stale)),
				SECRET);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("Timestamp expired");
	}

	@Test
	void tamperedBodyIsUnauthorized() throws Exception {
		String signedBody = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"x\"}";
		URI uri = this.pusher.signedUri("POST", "/apps/3/events", signedBody);
		URI local = URI.create("http://localhost:" + apiPort() + uri.getRawPath() + "?" + uri.getRawQuery());
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(local)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(signedBody.replace("\"x\"", "\"y\"")))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("body_md5");
	}

	@Test
	void aQueryKeyRepeatedInAnotherCaseIsABadRequest() throws Exception {
		subscribe("presence-hidden", new Member("a", "{}"));
		// The signature covers the last value of the lowercased key, the channel query
		// would have read the first: a signed filter smuggling an unsigned one.
		HttpResponse<String> response = sendRawQuery("GET", "/apps/3/channels",
				List.of(Map.entry("filter_by_prefix", "public-"), Map.entry("FILTER_BY_PREFIX", "presence-")));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Duplicate query parameter filter_by_prefix");
	}

	@Test
	void aQueryKeyRepeatedExactlyIsABadRequest() throws Exception {
		HttpResponse<String> response = sendRawQuery("GET", "/apps/3/channels",
				List.of(Map.entry("info", "subscription_count"), Map.entry("info", "user_count")));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Duplicate query parameter info");
	}

	@Test
	void aRepeatedAuthParameterIsABadRequest() throws Exception {
		HttpResponse<String> response = sendRawQuery("GET", "/apps/3/channels",
				List.of(Map.entry("Auth_Key", KEY)));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Duplicate query parameter auth_key");
	}

	@Test
	void oversizeDataIsTooLarge() {
		Result result = this.pusher.trigger("orders", "big", "x".repeat(2000));
		assertThat(result.getHttpStatus()).isEqualTo(413);
		assertThat(result.getMessage()).contains("at most 1024");
	}

	@Test
	void aBodyOverTheLimitIsTooLargeAndTheNextRequestIsServed() throws Exception {
		// max-payload-size 1KB: a body of a whole batch of the largest events is under 300 KB
		String body = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"" + "x".repeat(400_000) + "\"}";
		HttpResponse<String> response = send("POST", "/apps/3/events", body, Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("Request body too large: at most").contains("bytes allowed");
		assertThat(this.pusher.trigger("orders", "e", "x").getHttpStatus()).isEqualTo(200);
	}

	@Test
	void badJsonIsABadRequestSayingWhat() throws Exception {
		HttpResponse<String> response = send("POST", "/apps/3/events", "{\"name\": \"e\", ", Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("not valid JSON");
		HttpResponse<String> noData = send("POST", "/apps/3/events", "{\"name\":\"e\",\"channel\":\"c\"}", Map.of(),
				SECRET);
		assertThat(noData.statusCode()).isEqualTo(400);
		assertThat(noData.body()).contains("data must be a string");
	}

	@Test
	void tooManyChannelsOrEventsAreBadRequests() throws Exception {
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			channels.add("\"c" + i + "\"");
		}
		HttpResponse<String> response = send("POST", "/apps/3/events",
				"{\"name\":\"e\",\"data\":\"x\",\"channels\":[" + String.join(",", channels) + "]}", Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("at most 100");
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 11; i++) {
			events.add("{\"name\":\"e\",\"data\":\"x\",\"channel\":\"c\"}");
		}
		HttpResponse<String> batch = send("POST", "/apps/3/batch_events",
				"{\"batch\":[" + String.join(",", events) + "]}", Map.of(), SECRET);
		assertThat(batch.statusCode()).isEqualTo(400);
		assertThat(batch.body()).contains("at most 10");
	}

	@Test
	void invalidChannelNameIsABadRequest() throws Exception {
		HttpResponse<String> response = send("POST", "/apps/3/events",
				"{\"name\":\"e\",\"data\":\"x\",\"channel\":\"bad channel!\"}", Map.of(), SECRET);
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void publishingToACacheChannelKeepsTheLastEventForNewSubscribers() {
		this.pusher.trigger("cache-prices", "price", Map.of("eur", 1));
		this.pusher.trigger("cache-prices", "price", Map.of("eur", 2));
		this.pusher.trigger("prices", "price", Map.of("eur", 3));
		assertThat(this.cacheChannels.replay("cache-prices").text())
			.isEqualTo("{\"event\":\"price\",\"channel\":\"cache-prices\",\"data\":\"{\\\"eur\\\":2}\"}");
		assertThat(this.cacheChannels.replay("cache-empty").text()).contains("pusher:cache_miss");
		assertThat(this.cacheChannels.replay("prices")).isNull();
	}

	private RecordingConn subscribe(String channel) {
		return subscribe(channel, null);
	}

	private RecordingConn subscribe(String channel, Member member) {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		this.clients.add(client);
		this.hub.subscribe(client, channel, member);
		return conn;
	}

	/** Sign a request by hand (overriding some parameters) and send it. */
	private HttpResponse<String> send(String method, String path, String body, Map<String, String> overrides,
			String secret) throws Exception {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("auth_key", KEY);
		params.put("auth_timestamp", String.valueOf(System.currentTimeMillis() / 1000));
		params.put("auth_version", "1.0");
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > 0) {
			params.put("body_md5", SignedRequestVerifier.md5(bytes));
		}
		params.putAll(overrides);
		params.put("auth_signature",
				PusherSignatures.sign(secret, SignedRequestVerifier.stringToSign(method, path, params)));
		StringBuilder query = new StringBuilder();
		params.forEach((key, value) -> query.append(query.isEmpty() ? "" : "&").append(key).append('=').append(value));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort() + path + "?" + query))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Send a request whose query carries the given extra parameters as they are (order and
	 * case kept), signed the way the verifier reads a query: keys lowercased, last value wins.
	 */
	private HttpResponse<String> sendRawQuery(String method, String path, List<Map.Entry<String, String>> extra)
			throws Exception {
		List<Map.Entry<String, String>> query = new ArrayList<>();
		query.add(Map.entry("auth_key", KEY));
		query.add(Map.entry("auth_timestamp", String.valueOf(System.currentTimeMillis() / 1000)));
		query.add(Map.entry("auth_version", "1.0"));
		query.addAll(extra);
		Map<String, String> signed = new LinkedHashMap<>();
		query.forEach((param) -> signed.put(param.getKey().toLowerCase(java.util.Locale.ROOT), param.getValue()));
		query.add(Map.entry("auth_signature",
				PusherSignatures.sign(SECRET, SignedRequestVerifier.stringToSign(method, path, signed))));
		StringBuilder raw = new StringBuilder();
		query.forEach((param) -> raw.append(raw.isEmpty() ? "" : "&")
			.append(param.getKey())
			.append('=')
			.append(param.getValue()));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort() + path + "?" + raw))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
