package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.realtime.http.WebhookReceiver;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two apps using the same channel names never see each other's events, members, counts,
 * cache entries, webhooks or terminations, and one app's HTTP API credentials cannot reach
 * the other's channels. Clients connect to {@link #receiving()}; the HTTP API and the
 * facade are used on {@link #publishing()} (the same node, or another node of a cluster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppIsolationScenarios {

	static final String KEY_A = "key-a";

	static final String SECRET_A = "secret-a";

	static final String KEY_B = "key-b";

	static final String SECRET_B = "secret-b";

	/** App q allows two connections in the whole cluster. */
	static final String KEY_Q = "key-q";

	private static final AtomicInteger names = new AtomicInteger();

	private final List<PusherTestClient> clients = new ArrayList<>();

	private final List<Pusher> sdks = new ArrayList<>();

	WebhookReceiver hooksA;

	WebhookReceiver hooksB;

	@BeforeAll
	void startReceiversAndNodes() throws Exception {
		this.hooksA = new WebhookReceiver("a", KEY_A, SECRET_A);
		this.hooksB = new WebhookReceiver("b", KEY_B, SECRET_B);
		startNodes();
	}

	@AfterAll
	void stopReceiversAndNodes() throws Exception {
		stopNodes();
		this.hooksA.close();
		this.hooksB.close();
	}

	@AfterEach
	void closeClients() throws Exception {
		this.clients.forEach(PusherTestClient::close);
		this.clients.clear();
		for (Pusher sdk : this.sdks) {
			sdk.close();
		}
		this.sdks.clear();
	}

	abstract void startNodes();

	abstract void stopNodes();

	/** Where the clients are connected. */
	abstract ConfigurableApplicationContext receiving();

	/** Where events are published and the HTTP API is asked. */
	abstract ConfigurableApplicationContext publishing();

	/** Wait until the receiving node can get events published elsewhere to the channel. */
	abstract void awaitHeld(String appId, String channel);

	/** The properties of both apps (a, the default, and b) and their webhooks. */
	String[] appProperties() {
		return new String[] { "realtime.apps[0].id=a", "realtime.apps[0].key=" + KEY_A,
				"realtime.apps[0].secret=" + SECRET_A, "realtime.apps[0].webhooks[0]=" + this.hooksA.url(),
				"realtime.apps[1].id=b", "realtime.apps[1].key=" + KEY_B, "realtime.apps[1].secret=" + SECRET_B,
				"realtime.apps[1].webhooks[0]=" + this.hooksB.url(), "realtime.apps[1].client-events-enabled=false",
				"realtime.apps[2].id=c", "realtime.apps[2].key=key-c", "realtime.apps[2].secret=secret-c",
				"realtime.apps[2].enabled=false", "realtime.apps[3].id=q", "realtime.apps[3].key=" + KEY_Q,
				"realtime.apps[3].secret=secret-q", "realtime.apps[3].max-connections=2",
				"realtime.webhooks.debounce=100ms" };
	}

	static String name(String prefix) {
		return prefix + "-" + names.incrementAndGet();
	}

	static int port(ConfigurableApplicationContext node) {
		return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/**
	 * Properties that choose the transport; none for the default (Servlet) one.
	 * @return the properties
	 */
	String[] transportProperties() {
		return new String[0];
	}

	/**
	 * The port a node's clients open WebSockets on.
	 * @param node the node
	 * @return the port
	 */
	int webSocketPort(ConfigurableApplicationContext node) {
		return port(node);
	}

	PusherTestClient connect(String key) {
		return connect(receiving(), key);
	}

	PusherTestClient connect(ConfigurableApplicationContext node, String key) {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(node), key);
		this.clients.add(client);
		return client;
	}

	/** Try to connect: 0 when admitted (then closed again), else the close code of the refusal. */
	int tryConnect(ConfigurableApplicationContext node, String key) {
		try (PusherTestClient client = PusherTestClient.open(webSocketPort(node),
				"/app/" + key + "?protocol=7&client=js&version=8.4.0")) {
			JsonNode first = client.next();
			if (first.get("event").stringValue().equals("pusher:connection_established")) {
				return 0;
			}
			assertThat(first.get("event").stringValue()).isEqualTo("pusher:error");
			return client.awaitClose();
		}
	}

	Pusher sdk(String appId, String key, String secret) {
		Pusher pusher = new Pusher(appId, key, secret);
		pusher.setHost("localhost:" + port(publishing()));
		this.sdks.add(pusher);
		return pusher;
	}

	static void subscribe(PusherTestClient client, String channel) {
		client.send("pusher:subscribe", Map.of("channel", channel));
		client.expect("pusher_internal:subscription_succeeded");
	}

	/** Join a channel that needs authorization, signed by the receiving node's auth endpoint. */
	JsonNode subscribeAuthorized(PusherTestClient client, String user, String channel) {
		JsonNode auth = new AuthClient(port(receiving())).authorize(user, client.socketId(), channel);
		JsonNode channelData = auth.get("channel_data");
		client.send("pusher:subscribe",
				(channelData != null)
						? Map.of("channel", channel, "auth", auth.get("auth").stringValue(), "channel_data",
								channelData.stringValue())
						: Map.of("channel", channel, "auth", auth.get("auth").stringValue()));
		return client.expect("pusher_internal:subscription_succeeded").get("data");
	}

	void signIn(PusherTestClient client, String user) {
		JsonNode body = JsonMapper.shared()
			.readTree(new AuthClient(port(receiving())).userAuth(user, client.socketId()).body());
		client.send("pusher:signin",
				Map.of("auth", body.get("auth").stringValue(), "user_data", body.get("user_data").stringValue()));
		client.expect("pusher:signin_success");
		client.send("pusher:subscribe", Map.of("channel", "#server-to-user-" + user, "auth", ""));
		client.expect("pusher_internal:subscription_succeeded");
	}

	@Test
	void eventsToAChannelReachOnlyThePublishingAppsSubscribers() {
		String channel = name("chat");
		PusherTestClient a = connect(KEY_A);
		PusherTestClient b = connect(KEY_B);
		subscribe(a, channel);
		subscribe(b, channel);
		awaitHeld("a", channel);
		awaitHeld("b", channel);
		Result result = sdk("a", KEY_A, SECRET_A).trigger(channel, "from-a", Map.of("n", 1));
		assertThat(result.getHttpStatus()).isEqualTo(200);
		assertThat(a.expect("from-a").get("channel").stringValue()).isEqualTo(channel);
		publishing().getBean(Realtime.class).app("b").publish(channel, "from-b", Map.of("n", 2));
		JsonNode fromB = b.expect("from-b");
		assertThat(fromB.get("channel").stringValue()).isEqualTo(channel);
		assertThat(fromB.get("data").get("n").asInt()).isEqualTo(2);
		a.expectNothing(Duration.ofMillis(300));
		b.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void presenceRostersMemberEventsAndUserListsStayInTheirApp() {
		String channel = name("presence-room");
		PusherTestClient alice = connect(KEY_A);
		assertThat(subscribeAuthorized(alice, "alice", channel).get("presence").get("count").asInt()).isEqualTo(1);
		PusherTestClient bob = connect(KEY_B);
		JsonNode bobs = subscribeAuthorized(bob, "bob", channel).get("presence");
		assertThat(bobs.get("count").asInt()).isEqualTo(1);
		assertThat(bobs.get("ids").toString()).isEqualTo("[\"bob\"]");
		PusherTestClient carol = connect(KEY_A);
		assertThat(subscribeAuthorized(carol, "carol", channel).get("presence").get("count").asInt()).isEqualTo(2);
		assertThat(alice.expect("pusher_internal:member_added").get("data").get("user_id").stringValue())
			.isEqualTo("carol");
		alice.expectNothing(Duration.ofMillis(300));
		bob.expectNothing(Duration.ofMillis(300));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(users(sdk("a", KEY_A, SECRET_A), channel)).containsExactlyInAnyOrder("alice", "carol");
			assertThat(users(sdk("b", KEY_B, SECRET_B), channel)).containsExactly("bob");
		});
	}

	@Test
	void channelListsAndCountsStayInTheirApp() {
		String shared = name("counted");
		String onlyA = name("only-a");
		String onlyB = name("only-b");
		PusherTestClient a1 = connect(KEY_A);
		PusherTestClient a2 = connect(KEY_A);
		PusherTestClient b = connect(KEY_B);
		subscribe(a1, shared);
		subscribe(a2, shared);
		subscribe(a1, onlyA);
		subscribe(b, shared);
		subscribe(b, onlyB);
		Pusher sdkA = sdk("a", KEY_A, SECRET_A);
		Pusher sdkB = sdk("b", KEY_B, SECRET_B);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(subscriptionCount(sdkA, shared)).isEqualTo(2);
			assertThat(subscriptionCount(sdkB, shared)).isEqualTo(1);
			JsonNode channelsOfB = json(sdkB.get("/channels", Map.of("info", "subscription_count")));
			assertThat(channelsOfB.get("channels").has(onlyA)).isFalse();
			assertThat(channelsOfB.get("channels").get(shared).get("subscription_count").asInt()).isEqualTo(1);
			JsonNode channelsOfA = json(sdkA.get("/channels")).get("channels");
			assertThat(channelsOfA.has(onlyA)).isTrue();
			assertThat(channelsOfA.toString()).doesNotContain(onlyB);
			assertThat(channelsOfB.get("channels").has(onlyB)).isTrue();
		});
		assertThat(json(sdkB.get("/channels/" + onlyA)).get("occupied").asBoolean()).isFalse();
	}

	@Test
	void oneAppsCredentialsCannotReachTheOtherAppsChannels() {
		String channel = name("guarded");
		PusherTestClient a = connect(KEY_A);
		subscribe(a, channel);
		Pusher impostor = sdk("a", KEY_B, SECRET_B);
		assertThat(impostor.trigger(channel, "forged", "x").getHttpStatus()).isEqualTo(401);
		assertThat(impostor.get("/channels/" + channel).getHttpStatus()).isEqualTo(401);
		assertThat(impostor.get("/channels").getHttpStatus()).isEqualTo(401);
		assertThat(impostor.post("/users/alice/terminate_connections", "{}").getHttpStatus()).isEqualTo(401);
		// With its own id, app b's credentials only ever reach app b's channels.
		assertThat(sdk("b", KEY_B, SECRET_B).trigger(channel, "elsewhere", "x").getHttpStatus()).isEqualTo(200);
		a.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void terminatingAUserClosesOnlyThatAppsConnections() {
		String user = name("dana");
		PusherTestClient ofA = connect(KEY_A);
		PusherTestClient ofB = connect(KEY_B);
		signIn(ofA, user);
		signIn(ofB, user);
		awaitHeld("a", "#server-to-user-" + user);
		awaitHeld("b", "#server-to-user-" + user);
		assertThat(sdk("b", KEY_B, SECRET_B).post("/users/" + user + "/terminate_connections", "{}").getHttpStatus()).isEqualTo(200);
		assertThat(ofB.awaitClose()).isEqualTo(4009);
		ofA.expectNothing(Duration.ofMillis(500));
		assertThat(ofA.isClosed()).isFalse();
	}

	@Test
	void clientEventsStayInTheirAppAndFollowItsSetting() {
		String channel = name("private-whispers");
		PusherTestClient sender = connect(KEY_A);
		PusherTestClient peer = connect(KEY_A);
		PusherTestClient other = connect(KEY_B);
		subscribeAuthorized(sender, "erin", channel);
		subscribeAuthorized(peer, "frank", channel);
		subscribeAuthorized(other, "gina", channel);
		sender.sendOnChannel("client-wave", channel, Map.of("hi", true));
		assertThat(peer.expect("client-wave").get("channel").stringValue()).isEqualTo(channel);
		other.sendOnChannel("client-wave", channel, Map.of("hi", true));
		assertThat(other.expect("pusher:error").toString()).contains("disabled");
		other.expectNothing(Duration.ofMillis(300));
		sender.expectNothing(Duration.ofMillis(300));
	}

	@Test
	void cacheEntriesStayInTheirApp() {
		String channel = name("cache-score");
		sdk("a", KEY_A, SECRET_A).trigger(channel, "score", Map.of("goals", 3));
		PusherTestClient b = connect(KEY_B);
		subscribe(b, channel);
		b.expect("pusher:cache_miss");
		PusherTestClient a = connect(KEY_A);
		subscribe(a, channel);
		assertThat(a.expect("score").get("data").get("goals").asInt()).isEqualTo(3);
	}

	@Test
	void webhooksGoToTheirOwnAppsReceiversEachOnce() {
		String channel = name("hooked");
		PusherTestClient a = connect(KEY_A);
		subscribe(a, channel);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(occupied(this.hooksA, channel)).isEqualTo(1));
		PusherTestClient b = connect(KEY_B);
		subscribe(b, channel);
		// The same channel name in the other app is another channel: its own occupation.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(occupied(this.hooksB, channel)).isEqualTo(1));
		b.close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.hooksB.named("channel_vacated").stream()
				.filter((event) -> event.get("channel").stringValue().equals(channel))).hasSize(1));
		assertThat(occupied(this.hooksA, channel)).isEqualTo(1);
		assertThat(this.hooksA.named("channel_vacated").stream()
			.filter((event) -> event.get("channel").stringValue().equals(channel))).isEmpty();
		assertThat(this.hooksA.problems).isEmpty();
		assertThat(this.hooksB.problems).isEmpty();
	}

	@Test
	void anAppsQuotaCountsItsConnectionsOnEveryNodeAndNoOtherAppsConnections() {
		// App a has no quota; its connections on the other node must not count for app q.
		connect(publishing(), KEY_A);
		connect(publishing(), KEY_A);
		PusherTestClient first = connect(publishing(), KEY_Q);
		connect(publishing(), KEY_Q);
		// The receiving node learns the other node's count within a stats interval.
		await().atMost(Duration.ofSeconds(10)).until(() -> tryConnect(receiving(), KEY_Q) == 4004);
		first.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> tryConnect(receiving(), KEY_Q) == 0);
	}

	private static long occupied(WebhookReceiver receiver, String channel) {
		return receiver.named("channel_occupied")
			.stream()
			.filter((event) -> event.get("channel").stringValue().equals(channel))
			.count();
	}

	private static List<String> users(Pusher sdk, String channel) {
		List<String> ids = new ArrayList<>();
		json(sdk.get("/channels/" + channel + "/users")).get("users").forEach((user) -> ids.add(user.get("id").stringValue()));
		return ids;
	}

	private static int subscriptionCount(Pusher sdk, String channel) {
		return json(sdk.get("/channels/" + channel, Map.of("info", "subscription_count"))).get("subscription_count")
			.asInt();
	}

	private static JsonNode json(Result result) {
		assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
		return JsonMapper.shared().readTree(result.getMessage());
	}

}
