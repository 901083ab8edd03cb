package dev.realtime.it;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.pusher.rest.crypto.nacl.SecretBox;
import dev.realtime.Hub;
import dev.realtime.pusher.PusherSignatures;
import dev.realtime.pusher.Realtime;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pusher protocol end to end: a real server on a random port, raw WebSocket clients.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.client-events.rate-limit=5",
				"realtime.encryption-master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" })
class PusherProtocolIntegrationTests {

	private static final String KEY = "test-key";

	@LocalServerPort
	private int port;

	@Autowired
	private Realtime realtime;

	@Autowired
	private Hub hub;

	private final List<PusherTestClient> clients = new ArrayList<>();

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

	private PusherTestClient connect() {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(), KEY);
		this.clients.add(client);
		return client;
	}

	private PusherTestClient open(String path) {
		PusherTestClient client = PusherTestClient.open(webSocketPort(), path);
		this.clients.add(client);
		return client;
	}

	private AuthClient auth() {
		return new AuthClient(this.port);
	}

	private void subscribePublic(PusherTestClient client, String channel) {
		client.send("pusher:subscribe", Map.of("channel", channel));
		JsonNode succeeded = client.expect("pusher_internal:subscription_succeeded");
		assertThat(succeeded.get("channel").stringValue()).isEqualTo(channel);
	}

	private void subscribePrivate(PusherTestClient client, String user, String channel) {
		JsonNode auth = auth().authorize(user, client.socketId(), channel);
		client.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue()));
		client.expect("pusher_internal:subscription_succeeded");
	}

	private JsonNode subscribePresence(PusherTestClient client, String user, String channel) {
		JsonNode auth = auth().authorize(user, client.socketId(), channel);
		client.send("pusher:subscribe", Map.of("channel", channel, "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		return client.expect("pusher_internal:subscription_succeeded");
	}

	// Handshake

	@Test
	void permessageDeflateIsNotNegotiatedUnlessEnabled() throws IOException {
		try (DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()),
				"/app/" + KEY + "?protocol=7", DeflateClient.OFFER)) {
			assertThat(client.extensions()).isNull();
			DeflateClient.WireFrame established = client.readText();
			assertThat(established.rsv1()).isFalse();
			assertThat(established.text()).contains("pusher:connection_established");
		}
	}

	@Test
	void handshakeAnswersConnectionEstablishedWithDataAsAJsonString() {
		PusherTestClient client = open("/app/" + KEY + "?protocol=7&client=js&version=8.4.0");
		JsonNode established = client.next();
		assertThat(established.get("event").stringValue()).isEqualTo("pusher:connection_established");
		assertThat(established.get("data").get("socket_id").stringValue()).matches("\\d+\\.\\d+");
		assertThat(established.get("data").get("activity_timeout").asInt()).isEqualTo(120);
	}

	@Test
	void unknownKeyIsAnsweredWithError4001AndClosed() {
		PusherTestClient client = open("/app/nope?protocol=7");
		JsonNode error = client.expect("pusher:error");
		assertThat(error.get("data").get("code").asInt()).isEqualTo(4001);
		assertThat(client.awaitClose()).isEqualTo(4001);
	}

	@ParameterizedTest
	@ValueSource(ints = { 5, 6 })
	void olderProtocolsPusherAcceptsAreEstablishedAndServed(int protocol) {
		PusherTestClient client = open("/app/" + KEY + "?protocol=" + protocol + "&client=java-client&version=2.4.4");
		JsonNode established = client.expect("pusher:connection_established");
		String socketId = established.get("data").get("socket_id").stringValue();
		assertThat(socketId).matches("\\d+\\.\\d+");
		client.send("pusher:subscribe", Map.of("channel", "news-v" + protocol));
		client.expect("pusher_internal:subscription_succeeded");
		this.realtime.publish("news-v" + protocol, "headline", Map.of("title", "Hello"));
		assertThat(client.expect("headline").get("data").get("title").stringValue()).isEqualTo("Hello");
		// The Java client's own ping: no data at all.
		client.send("{\"event\": \"pusher:ping\"}");
		client.expect("pusher:pong");
	}

	@ParameterizedTest
	@ValueSource(strings = { "4", "8", "seven" })
	void protocolsPusherRefusesAreClosedWith4007(String protocol) {
		PusherTestClient client = open("/app/" + KEY + "?protocol=" + protocol);
		JsonNode error = client.expect("pusher:error");
		assertThat(error.get("data").get("code").asInt()).isEqualTo(4007);
		assertThat(error.get("data").get("message").stringValue()).contains("5 to 7");
		assertThat(client.awaitClose()).isEqualTo(4007);
	}

	@Test
	void missingProtocolIsClosedWith4008() {
		PusherTestClient client = open("/app/" + KEY);
		assertThat(client.expect("pusher:error").get("data").get("code").asInt()).isEqualTo(4008);
		assertThat(client.awaitClose()).isEqualTo(4008);
	}

	@Test
	void otherOriginsAreRefusedByDefault() {
		java.util.concurrent.CompletableFuture<java.net.http.WebSocket> handshake = java.net.http.HttpClient
			.newHttpClient()
			.newWebSocketBuilder()
			.header("Origin", "http://evil.example")
			.buildAsync(java.net.URI.create("ws://localhost:" + webSocketPort() + "/app/" + KEY + "?protocol=7"),
					new java.net.http.WebSocket.Listener() {
					});
		org.assertj.core.api.Assertions.assertThatException().isThrownBy(handshake::join);
	}

	@Test
	void sameOriginIsAccepted() {
		java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Origin", "http://localhost:" + this.port)
			.buildAsync(java.net.URI.create("ws://localhost:" + webSocketPort() + "/app/" + KEY + "?protocol=7"),
					new java.net.http.WebSocket.Listener() {
					})
			.join();
		socket.abort();
	}

	@Test
	void socketIdsAreUniquePerConnection() {
		assertThat(connect().socketId()).isNotEqualTo(connect().socketId());
	}

	// Ping

	@Test
	void clientPingIsAnsweredWithPong() {
		PusherTestClient client = connect();
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
	}

	// Public channels and publishing

	@Test
	void publishedEventsReachPublicSubscribersWithDataAsAString() {
		PusherTestClient client = connect();
		subscribePublic(client, "news");
		this.realtime.publish("news", "headline", Map.of("title", "Hello"));
		JsonNode event = client.expect("headline");
		assertThat(event.get("channel").stringValue()).isEqualTo("news");
		assertThat(event.get("data").get("title").stringValue()).isEqualTo("Hello");
	}

	@Test
	void stringDataIsSentAsIs() {
		PusherTestClient client = connect();
		subscribePublic(client, "raw");
		this.realtime.publish("raw", "text", "plain words");
		assertThat(client.expect("text").get("data").stringValue()).isEqualTo("plain words");
	}

	@Test
	void publishExceptSkipsTheGivenSocket() {
		PusherTestClient sender = connect();
		PusherTestClient other = connect();
		subscribePublic(sender, "room");
		subscribePublic(other, "room");
		this.realtime.publishExcept("room", "said", Map.of("n", 1), sender.socketId());
		other.expect("said");
		sender.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void unsubscribedClientsStopReceiving() {
		PusherTestClient client = connect();
		subscribePublic(client, "temp");
		client.send("pusher:unsubscribe", Map.of("channel", "temp"));
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
		this.realtime.publish("temp", "gone", "x");
		client.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void subscribingTwiceConfirmsTwice() {
		PusherTestClient client = connect();
		subscribePublic(client, "twice");
		subscribePublic(client, "twice");
	}

	@Test
	void cacheChannelsReplayTheLastEventToNewSubscribers() {
		PusherTestClient early = connect();
		early.send("pusher:subscribe", Map.of("channel", "cache-scores"));
		early.expect("pusher_internal:subscription_succeeded");
		early.expect("pusher:cache_miss");
		this.realtime.publish("cache-scores", "score", Map.of("home", 1));
		this.realtime.publish("cache-scores", "score", Map.of("home", 2));
		early.expect("score");
		early.expect("score");
		PusherTestClient late = connect();
		late.send("pusher:subscribe", Map.of("channel", "cache-scores"));
		late.expect("pusher_internal:subscription_succeeded");
		assertThat(late.expect("score").get("data").get("home").asInt()).isEqualTo(2);
	}

	// Private channels

	@Test
	void privateChannelAcceptsTheAuthOfTheAuthEndpoint() {
		PusherTestClient client = connect();
		subscribePrivate(client, "alice", "private-orders");
		this.realtime.publish("private-orders", "created", Map.of("id", 7));
		assertThat(client.expect("created").get("data").get("id").asInt()).isEqualTo(7);
	}

	@Test
	void privateChannelWithBadSignatureGetsSubscriptionError() {
		PusherTestClient client = connect();
		client.send("pusher:subscribe", Map.of("channel", "private-orders", "auth", KEY + ":" + "0".repeat(64)));
		JsonNode error = client.expect("pusher:subscription_error");
		assertThat(error.get("channel").stringValue()).isEqualTo("private-orders");
		assertThat(error.get("data").get("type").stringValue()).isEqualTo("AuthError");
		assertThat(error.get("data").get("status").asInt()).isEqualTo(401);
	}

	@Test
	void authForAnotherSocketIsRejected() {
		PusherTestClient client = connect();
		PusherTestClient other = connect();
		JsonNode auth = auth().authorize("alice", other.socketId(), "private-orders");
		client.send("pusher:subscribe", Map.of("channel", "private-orders", "auth", auth.get("auth").stringValue()));
		client.expect("pusher:subscription_error");
	}

	@Test
	void authEndpointDeniesWhatTheAuthorizerDenies() {
		PusherTestClient client = connect();
		assertThat(auth().channelAuth("alice", client.socketId(), "private-forbidden").statusCode()).isEqualTo(403);
		assertThat(auth().channelAuth(null, client.socketId(), "private-orders").statusCode()).isEqualTo(403);
	}

	@Test
	void authEndpointRejectsMalformedRequests() {
		assertThat(auth().post("/broadcasting/auth", "alice", "channel_name=private-a").statusCode()).isEqualTo(400);
		assertThat(auth().channelAuth("alice", "not-a-socket", "private-a").statusCode()).isEqualTo(400);
		assertThat(auth().channelAuth("alice", "1.1", "private-bad name").statusCode()).isEqualTo(400);
	}

	@Test
	void authEndpointAcceptsJson() {
		PusherTestClient client = connect();
		HttpResponse<String> response = auth().post("/broadcasting/auth", "alice", "");
		assertThat(response.statusCode()).isEqualTo(400);
		java.net.http.HttpRequest request = java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/broadcasting/auth"))
			.header("Content-Type", "application/json")
			.header(TestApplication.USER_HEADER, "alice")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(
					"{\"socket_id\":\"" + client.socketId() + "\",\"channel_name\":\"private-json\"}"))
			.build();
		try {
			HttpResponse<String> json = java.net.http.HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(json.statusCode()).isEqualTo(200);
			assertThat(json.body()).contains("\"auth\":\"" + KEY + ":");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void encryptedChannelAuthCarriesTheSharedSecret() {
		PusherTestClient client = connect();
		JsonNode auth = auth().authorize("alice", client.socketId(), "private-encrypted-vault");
		assertThat(auth.get("shared_secret").stringValue()).hasSize(44);
		client.send("pusher:subscribe",
				Map.of("channel", "private-encrypted-vault", "auth", auth.get("auth").stringValue()));
		client.expect("pusher_internal:subscription_succeeded");
	}

	@Test
	void publishedEventsToEncryptedChannelsOpenWithTheSharedSecretOnly() {
		PusherTestClient client = connect();
		JsonNode auth = auth().authorize("alice", client.socketId(), "private-encrypted-safe");
		client.send("pusher:subscribe",
				Map.of("channel", "private-encrypted-safe", "auth", auth.get("auth").stringValue()));
		client.expect("pusher_internal:subscription_succeeded");
		this.realtime.publish("private-encrypted-safe", "secret", Map.of("code", 7));
		JsonNode data = client.expect("secret").get("data");
		assertThat(data.toString()).doesNotContain("code");
		Base64.Decoder base64 = Base64.getDecoder();
		byte[] plaintext = SecretBox.open(base64.decode(auth.get("shared_secret").stringValue()),
				base64.decode(data.get("nonce").stringValue()), base64.decode(data.get("ciphertext").stringValue()));
		assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo("{\"code\":7}");
	}

	// Presence channels

	@Test
	void presenceRosterAndMemberEvents() {
		PusherTestClient alice = connect();
		PusherTestClient bob = connect();
		JsonNode aliceJoined = subscribePresence(alice, "alice", "presence-room");
		assertThat(aliceJoined.get("data").get("presence").get("count").asInt()).isEqualTo(1);
		JsonNode bobJoined = subscribePresence(bob, "bob", "presence-room");
		JsonNode presence = bobJoined.get("data").get("presence");
		assertThat(presence.get("count").asInt()).isEqualTo(2);
		assertThat(presence.get("ids").toString()).contains("\"alice\"", "\"bob\"");
		assertThat(presence.get("hash").get("alice").get("name").stringValue()).isEqualTo("alice");
		JsonNode added = alice.expect("pusher_internal:member_added");
		assertThat(added.get("data").get("user_id").stringValue()).isEqualTo("bob");
		assertThat(added.get("data").get("user_info").get("name").stringValue()).isEqualTo("bob");
		bob.close();
		JsonNode removed = alice.expect("pusher_internal:member_removed");
		assertThat(removed.get("data").get("user_id").stringValue()).isEqualTo("bob");
	}

	@Test
	void oneUserWithTwoConnectionsIsOneMember() {
		PusherTestClient observer = connect();
		subscribePresence(observer, "carol", "presence-tabs");
		PusherTestClient tab1 = connect();
		PusherTestClient tab2 = connect();
		subscribePresence(tab1, "dave", "presence-tabs");
		observer.expect("pusher_internal:member_added");
		JsonNode second = subscribePresence(tab2, "dave", "presence-tabs");
		assertThat(second.get("data").get("presence").get("count").asInt()).isEqualTo(2);
		tab1.close();
		observer.expectNothing(Duration.ofMillis(300));
		tab2.close();
		observer.expect("pusher_internal:member_removed");
	}

	@Test
	void presenceWithoutChannelDataIsRefused() {
		PusherTestClient client = connect();
		JsonNode auth = auth().authorize("erin", client.socketId(), "presence-x");
		client.send("pusher:subscribe", Map.of("channel", "presence-x", "auth", auth.get("auth").stringValue()));
		client.expect("pusher:subscription_error");
	}

	@Test
	void presenceWithTamperedChannelDataIsRefused() {
		PusherTestClient client = connect();
		JsonNode auth = auth().authorize("erin", client.socketId(), "presence-x");
		client.send("pusher:subscribe", Map.of("channel", "presence-x", "auth", auth.get("auth").stringValue(),
				"channel_data", "{\"user_id\":\"admin\"}"));
		assertThat(client.expect("pusher:subscription_error").get("data").get("type").stringValue())
			.isEqualTo("AuthError");
	}

	// Client events

	@Test
	void clientEventsReachOtherSubscribersButNotTheSender() {
		PusherTestClient sender = connect();
		PusherTestClient receiver = connect();
		subscribePrivate(sender, "alice", "private-chat");
		subscribePrivate(receiver, "bob", "private-chat");
		sender.sendOnChannel("client-typing", "private-chat", Map.of("who", "alice"));
		JsonNode event = receiver.expect("client-typing");
		assertThat(event.get("channel").stringValue()).isEqualTo("private-chat");
		assertThat(event.get("data").get("who").stringValue()).isEqualTo("alice");
		assertThat(event.has("user_id")).isFalse();
		sender.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void clientEventsOnPresenceChannelsCarryTheSendersUserId() {
		PusherTestClient sender = connect();
		PusherTestClient receiver = connect();
		subscribePresence(receiver, "bob", "presence-chat");
		subscribePresence(sender, "alice", "presence-chat");
		receiver.expect("pusher_internal:member_added");
		sender.sendOnChannel("client-wave", "presence-chat", Map.of());
		assertThat(receiver.expect("client-wave").get("user_id").stringValue()).isEqualTo("alice");
	}

	@Test
	void clientEventsOnPublicChannelsAreRejected() {
		PusherTestClient client = connect();
		subscribePublic(client, "lobby");
		client.sendOnChannel("client-x", "lobby", Map.of());
		JsonNode error = client.expect("pusher:error");
		assertThat(error.get("data").get("code").isNull()).isTrue();
	}

	@Test
	void clientEventsNeedASubscription() {
		PusherTestClient client = connect();
		client.sendOnChannel("client-x", "private-elsewhere", Map.of());
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("Subscribe");
	}

	@Test
	void clientEventsOverTheRateLimitGetError4301AndStayConnected() {
		PusherTestClient sender = connect();
		subscribePrivate(sender, "alice", "private-flood");
		for (int i = 0; i < 8; i++) {
			sender.sendOnChannel("client-spam", "private-flood", Map.of("i", i));
		}
		JsonNode error = sender.expect("pusher:error");
		assertThat(error.get("data").get("code").asInt()).isEqualTo(4301);
		sender.send("pusher:ping", Map.of());
		for (JsonNode next = sender.next(); !next.get("event").stringValue().equals("pusher:pong"); next = sender
			.next()) {
			assertThat(next.get("data").get("code").asInt()).isEqualTo(4301);
		}
		assertThat(sender.isClosed()).isFalse();
	}

	// Sign-in

	@Test
	void signinJoinsTheUserChannelAndSendToUserReachesIt() {
		PusherTestClient client = connect();
		HttpResponse<String> response = auth().userAuth("frank", client.socketId());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JsonMapper.shared().readTree(response.body());
		String userData = body.get("user_data").stringValue();
		assertThat(JsonMapper.shared().readTree(userData).get("id").stringValue()).isEqualTo("frank");
		client.send("pusher:signin", Map.of("auth", body.get("auth").stringValue(), "user_data", userData));
		JsonNode success = client.expect("pusher:signin_success");
		assertThat(success.get("data").get("user_data").stringValue()).isEqualTo(userData);
		// pusher-js then subscribes to its user channel itself.
		client.send("pusher:subscribe", Map.of("channel", "#server-to-user-frank", "auth", ""));
		client.expect("pusher_internal:subscription_succeeded");
		this.realtime.sendToUser("frank", "notice", Map.of("text", "hi"));
		JsonNode notice = client.expect("notice");
		assertThat(notice.get("channel").stringValue()).isEqualTo("#server-to-user-frank");
	}

	@Test
	void signinWithBadSignatureIsRefused() {
		PusherTestClient client = connect();
		client.send("pusher:signin", Map.of("auth", KEY + ":bad", "user_data", "{\"id\":\"mallory\"}"));
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("signature");
		client.send("pusher:subscribe", Map.of("channel", "#server-to-user-mallory"));
		client.expect("pusher:subscription_error");
	}

	// Watchlists

	private void signIn(PusherTestClient client, String userData) {
		String signature = PusherSignatures.sign("test-secret", PusherSignatures.userString(client.socketId(), userData));
		client.send("pusher:signin", Map.of("auth", KEY + ":" + signature, "user_data", userData));
	}

	private static void assertWatchlistEvent(JsonNode message, String name, String userId) {
		JsonNode event = message.get("data").get("events").get(0);
		assertThat(event.get("name").stringValue()).isEqualTo(name);
		assertThat(event.get("user_ids").get(0).stringValue()).isEqualTo(userId);
		assertThat(message.get("data").get("events").size()).isOne();
		assertThat(message.has("channel")).isFalse();
	}

	private void awaitConnections(String channel, int count) {
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.channelCount(channel) == count);
	}

	@Test
	void watchersAreToldOnceWhenAWatchedUsersFirstConnectionArrivesAndItsLastLeaves() {
		PusherTestClient watcher = connect();
		signIn(watcher, "{\"id\":\"wanda\",\"watchlist\":[\"vic\",\"nobody\"]}");
		watcher.expect("pusher:signin_success");
		PusherTestClient firstTab = connect();
		signIn(firstTab, "{\"id\":\"vic\"}");
		firstTab.expect("pusher:signin_success");
		assertWatchlistEvent(watcher.expect("pusher_internal:watchlist_events"), "online", "vic");
		PusherTestClient secondTab = connect();
		signIn(secondTab, "{\"id\":\"vic\"}");
		secondTab.expect("pusher:signin_success");
		// vic's two tabs and wanda's watch
		awaitConnections("#user-online-vic", 3);
		firstTab.close();
		awaitConnections("#user-online-vic", 2);
		secondTab.close();
		assertWatchlistEvent(watcher.expect("pusher_internal:watchlist_events"), "offline", "vic");
		watcher.send("pusher:ping", Map.of());
		assertThat(watcher.next().get("event").stringValue()).isEqualTo("pusher:pong");
		// Only the server joins the internal channel.
		watcher.send("pusher:subscribe", Map.of("channel", "#user-online-nobody"));
		watcher.expect("pusher:subscription_error");
	}

	@Test
	void aWatcherSigningInIsToldWhoIsAlreadyOnline() {
		PusherTestClient olga = connect();
		signIn(olga, "{\"id\":\"olga\"}");
		olga.expect("pusher:signin_success");
		PusherTestClient watcher = connect();
		signIn(watcher, "{\"id\":\"walt\",\"watchlist\":[\"absent\",\"olga\"]}");
		watcher.expect("pusher:signin_success");
		assertWatchlistEvent(watcher.expect("pusher_internal:watchlist_events"), "online", "olga");
		watcher.send("pusher:ping", Map.of());
		assertThat(watcher.next().get("event").stringValue()).isEqualTo("pusher:pong");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"vic\"", "[1]", "[\"\"]", "[{}]" })
	void aMalformedWatchlistRefusesTheSignin(String watchlist) {
		PusherTestClient client = connect();
		signIn(client, "{\"id\":\"eve\",\"watchlist\":" + watchlist + "}");
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("watchlist");
		client.send("pusher:subscribe", Map.of("channel", "#server-to-user-eve"));
		client.expect("pusher:subscription_error");
	}

	@Test
	void aWatchlistOfMoreThanAHundredUsersRefusesTheSignin() {
		PusherTestClient client = connect();
		String ids = java.util.stream.IntStream.rangeClosed(1, 101)
			.mapToObj((i) -> "\"u" + i + "\"")
			.collect(java.util.stream.Collectors.joining(","));
		signIn(client, "{\"id\":\"eve\",\"watchlist\":[" + ids + "]}");
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("at most 100");
	}

	@Test
	void userAuthEndpointDeniesAnonymousRequests() {
		PusherTestClient client = connect();
		assertThat(auth().userAuth(null, client.socketId()).statusCode()).isEqualTo(403);
	}

	// Bad input

	@Test
	void badJsonIsReportedAndTheConnectionKept() {
		PusherTestClient client = connect();
		client.send("{not json");
		assertThat(client.expect("pusher:error").get("data").get("code").isNull()).isTrue();
		client.send("[1,2]");
		client.expect("pusher:error");
		client.send("{\"data\":{}}");
		client.expect("pusher:error");
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
	}

	@Test
	void oversizeMessagesAreRefused() {
		PusherTestClient client = connect();
		client.send("pusher:ping", Map.of("pad", "x".repeat(11 * 1024)));
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("too large");
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
	}

	/**
	 * Larger than the container's 8K-character message buffer, within the 10 KB limit: it
	 * arrives in parts and is handled as one message.
	 */
	@Test
	void messagesLargerThanTheContainerBufferAreAssembledFromTheirParts() {
		PusherTestClient client = connect();
		subscribePrivate(client, "alice", "private-orders");
		String text = "y".repeat(9 * 1024);
		client.sendOnChannel("client-note", "private-orders", Map.of("text", text));
		client.send("pusher:ping", Map.of());
		client.expect("pusher:pong");
		PusherTestClient other = connect();
		subscribePrivate(other, "bob", "private-orders");
		client.sendOnChannel("client-note", "private-orders", Map.of("text", text));
		assertThat(other.expect("client-note").get("data").get("text").stringValue()).isEqualTo(text);
	}

	@Test
	void messagesBeyondTheContainerLimitCloseTheConnection() {
		PusherTestClient client = connect();
		client.send("pusher:ping", Map.of("pad", "x".repeat(30 * 1024)));
		assertThat(client.awaitClose()).isEqualTo(1009);
	}

	@Test
	void invalidChannelNamesGetSubscriptionError() {
		PusherTestClient client = connect();
		client.send("pusher:subscribe", Map.of("channel", "bad channel!"));
		JsonNode error = client.expect("pusher:subscription_error");
		assertThat(error.get("data").get("type").stringValue()).isEqualTo("InvalidChannel");
		client.send("pusher:subscribe", Map.of("channel", "x".repeat(200)));
		client.expect("pusher:subscription_error");
	}

	@Test
	void subscribeWithoutChannelIsAnError() {
		PusherTestClient client = connect();
		client.send("pusher:subscribe", Map.of());
		client.expect("pusher:error");
	}

	@Test
	void unknownEventsAreReported() {
		PusherTestClient client = connect();
		client.send("pusher:teleport", Map.of());
		assertThat(client.expect("pusher:error").get("data").get("message").stringValue()).contains("Unsupported");
		client.send("hello", Map.of());
		client.expect("pusher:error");
	}

	@Test
	void aMisbehavingClientDoesNotDisturbAnother() {
		PusherTestClient good = connect();
		PusherTestClient bad = connect();
		subscribePublic(good, "shared");
		subscribePublic(bad, "shared");
		for (int i = 0; i < 50; i++) {
			bad.send((i % 2 == 0) ? "{garbage" : "{\"event\":\"pusher:subscribe\",\"data\":\"nope\"}");
		}
		bad.send("pusher:ping", Map.of("pad", "x".repeat(30 * 1024)));
		this.realtime.publish("shared", "still-here", Map.of());
		good.expect("still-here");
		good.send("pusher:ping", Map.of());
		good.expect("pusher:pong");
	}

}
