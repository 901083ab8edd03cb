package dev.realtime.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;
import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.pusher.PusherConnection;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pusher's official Java client ({@code com.pusher:pusher-java-client} 2.4.4, behind
 * Pusher's Android SDK; it connects with {@code protocol=5}) against the sample app on a
 * random port: public, private and presence channels with the app's own login and auth
 * endpoint, client events, sign-in, and the server closing connections (the client
 * reconnects and resubscribes after a 42xx close, and stays away after 4009).
 * <p>
 * The activity and pong timeouts are short, so every test also shows that the client
 * answers the server's pings: a missed one would close it with 4201 within seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.activity-timeout=2s", "realtime.pong-timeout=2s" })
class PusherJavaClientIT {

	private static final AtomicInteger unique = new AtomicInteger();

	private static final JsonMapper json = JsonMapper.shared();

	@LocalServerPort
	private int port;

	@Value("${realtime.apps[0].id}")
	private String appId;

	@Value("${realtime.apps[0].key}")
	private String appKey;

	@Value("${realtime.apps[0].secret}")
	private String appSecret;

	@Autowired
	private Realtime realtime;

	@Autowired
	private Hub hub;

	@Autowired
	private PusherConnections connections;

	private final List<JavaClient> clients = new ArrayList<>();

	/**
	 * The port WebSockets connect to: the application's own unless a transport has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(JavaClient::close);
	}

	private JavaClient anonymous() {
		return track(JavaClient.anonymous(this.port, webSocketPort(), this.appKey).connect());
	}

	private JavaClient loggedIn(String name) {
		return track(JavaClient.loggedIn(name, this.port, webSocketPort(), this.appKey).connect());
	}

	private JavaClient track(JavaClient client) {
		this.clients.add(client);
		return client;
	}

	private static String name(String prefix) {
		return prefix + unique.incrementAndGet();
	}

	private static JsonNode data(PusherEvent event) {
		return json.readTree(event.getData());
	}

	@Test
	void connectsWithProtocol5AndReceivesEventsOnAPublicChannel() {
		JavaClient client = anonymous();
		PusherConnection connection = this.connections.find(client.socketId());
		assertThat(connection).as("the server's view of the connection").isNotNull();
		assertThat(connection.protocol()).isEqualTo(5);
		String channel = name("java-news-");
		JavaClient.Channels news = client.subscribe(channel, "headline");
		news.awaitSubscribed();
		this.realtime.publish(channel, "headline", Map.of("title", "Hello from Spring"));
		PusherEvent event = news.nextEvent();
		assertThat(event.getEventName()).isEqualTo("headline");
		assertThat(event.getChannelName()).isEqualTo(channel);
		assertThat(data(event).get("title").stringValue()).isEqualTo("Hello from Spring");
	}

	@Test
	void idleClientStaysConnectedPastSeveralActivityTimeouts() throws InterruptedException {
		JavaClient client = anonymous();
		String socketId = client.socketId();
		String channel = name("java-idle-");
		JavaClient.Channels idle = client.subscribe(channel, "wake");
		idle.awaitSubscribed();
		// The server pings after 2 s of silence and closes 2 s later without an answer.
		TimeUnit.SECONDS.sleep(7);
		assertThat(client.statesSinceLastAwait()).as("connection states while idle").isEmpty();
		assertThat(client.socketId()).isEqualTo(socketId);
		this.realtime.publish(channel, "wake", Map.of("n", 1));
		assertThat(idle.nextEvent().getEventName()).isEqualTo("wake");
	}

	@Test
	void privateChannelIsAuthorizedWithTheAppsSessionCookie() {
		String alice = name("alice");
		JavaClient aliceClient = loggedIn(alice);
		JavaClient.Channels inbox = aliceClient.subscribePrivate(ChatAuthorizer.inbox(alice), "direct");
		inbox.awaitSubscribed();
		JavaClient bob = loggedIn(name("bob"));
		assertThat(bob.post("/direct", "to=" + alice + "&text=hi")).isEqualTo(202);
		PusherEvent direct = inbox.nextEvent();
		assertThat(direct.getEventName()).isEqualTo("direct");
		assertThat(data(direct).get("text").stringValue()).isEqualTo("hi");
	}

	@Test
	void privateChannelOfAnotherUserIsRefusedByTheAuthEndpoint() {
		JavaClient alice = loggedIn(name("alice"));
		JavaClient.Channels other = alice.subscribePrivate(ChatAuthorizer.inbox(name("bob")), "direct");
		assertThat(other.nextAuthorizationFailure()).contains("403");
		JavaClient nobody = anonymous();
		JavaClient.Channels inbox = nobody.subscribePrivate(ChatAuthorizer.inbox(name("carol")), "direct");
		assertThat(inbox.nextAuthorizationFailure()).contains("403");
	}

	@Test
	void presenceChannelHasTheRosterAndMemberEvents() {
		String room = name("room");
		String channel = ChatAuthorizer.room(room);
		String alice = name("alice");
		String bob = name("bob");
		JavaClient aliceClient = loggedIn(alice);
		JavaClient.Channels aliceView = aliceClient.subscribePresence(channel, "message");
		assertThat(aliceView.nextRoster()).containsExactly(alice);
		aliceView.awaitSubscribed();
		JavaClient bobClient = loggedIn(bob);
		JavaClient.Channels bobView = bobClient.subscribePresence(channel, "message");
		assertThat(bobView.nextRoster()).containsExactlyInAnyOrder(alice, bob);
		User joined = aliceView.nextJoined();
		assertThat(joined.getId()).isEqualTo(bob);
		assertThat(json.readTree(joined.getInfo()).get("name").stringValue()).isEqualTo(bob);
		assertThat(bobClient.presenceChannel(channel).getMe().getId()).isEqualTo(bob);
		assertThat(aliceClient.post("/messages", "room=" + room + "&text=hello")).isEqualTo(202);
		assertThat(data(bobView.nextEvent()).get("user").stringValue()).isEqualTo(alice);
		assertThat(data(aliceView.nextEvent()).get("text").stringValue()).isEqualTo("hello");
		bobClient.close();
		assertThat(aliceView.nextLeft().getId()).isEqualTo(bob);
		assertThat(aliceClient.presenceChannel(channel).getUsers()).extracting(User::getId).containsExactly(alice);
	}

	@Test
	void clientEventsReachTheOtherJavaClientsOfTheChannel() {
		String alice = name("alice");
		String inbox = ChatAuthorizer.inbox(alice);
		JavaClient phone = loggedIn(alice);
		JavaClient tablet = loggedIn(alice);
		JavaClient.Channels phoneInbox = phone.subscribePrivate(inbox, "client-typing");
		JavaClient.Channels tabletInbox = tablet.subscribePrivate(inbox, "client-typing");
		phoneInbox.awaitSubscribed();
		tabletInbox.awaitSubscribed();
		phone.privateChannel(inbox).trigger("client-typing", "{\"typing\":true}");
		PusherEvent typing = tabletInbox.nextEvent();
		assertThat(typing.getEventName()).isEqualTo("client-typing");
		assertThat(typing.getChannelName()).isEqualTo(inbox);
		assertThat(data(typing).get("typing").booleanValue()).isTrue();

		// On a presence channel the server adds who sent it.
		String channel = ChatAuthorizer.room(name("room"));
		String bob = name("bob");
		JavaClient bobClient = loggedIn(bob);
		JavaClient.Channels phoneRoom = phone.subscribePresence(channel, "client-wave");
		JavaClient.Channels bobRoom = bobClient.subscribePresence(channel, "client-wave");
		phoneRoom.awaitSubscribed();
		bobRoom.awaitSubscribed();
		bobClient.presenceChannel(channel).trigger("client-wave", "{\"at\":\"everyone\"}");
		PusherEvent wave = phoneRoom.nextEvent();
		assertThat(wave.getUserId()).isEqualTo(bob);
		assertThat(data(wave).get("at").stringValue()).isEqualTo("everyone");
		// Not echoed to the sender.
		phoneInbox.expectNoEvent(Duration.ofMillis(500));
		bobRoom.expectNoEvent(Duration.ofMillis(500));
	}

	@Test
	void clientEventsOverTheRateLimitAreReportedAsAPusherErrorWithItsCode() {
		String alice = name("alice");
		String inbox = ChatAuthorizer.inbox(alice);
		JavaClient client = loggedIn(alice);
		client.subscribePrivate(inbox, "client-typing").awaitSubscribed();
		// application.yml allows 10 client events per second and connection.
		for (int i = 0; i < 15; i++) {
			client.privateChannel(inbox).trigger("client-typing", "{\"n\":" + i + "}");
		}
		assertThat(client.nextError()).startsWith("4301: ");
		assertThat(client.statesSinceLastAwait()).as("the connection is kept").isEmpty();
	}

	@Test
	void closedWithAReconnectCodeTheClientReconnectsAndResubscribes() {
		String alice = name("alice");
		String room = name("room");
		String publicChannel = name("java-news-");
		JavaClient client = loggedIn(alice);
		JavaClient.Channels news = client.subscribe(publicChannel, "headline");
		JavaClient.Channels inbox = client.subscribePrivate(ChatAuthorizer.inbox(alice), "direct");
		JavaClient.Channels chat = client.subscribePresence(ChatAuthorizer.room(room), "message");
		news.awaitSubscribed();
		inbox.awaitSubscribed();
		chat.awaitSubscribed();
		assertThat(chat.nextRoster()).containsExactly(alice);
		String before = client.socketId();
		Client server = this.hub.client(before);
		assertThat(server).isNotNull();

		// What a node that shuts down sends (4200, "reconnect now").
		this.hub.disconnect(server, CloseReason.GOING_AWAY);

		client.awaitState(ConnectionState.RECONNECTING);
		client.awaitState(ConnectionState.CONNECTED);
		String after = client.socketId();
		assertThat(after).isNotEqualTo(before);
		// Confirmations from the new connection only: one the old connection sent twice
		// would otherwise pass for the resubscription before the server has it.
		news.awaitSubscribedOn(after);
		inbox.awaitSubscribedOn(after);
		chat.awaitSubscribedOn(after);
		assertThat(chat.nextRosterOn(after)).containsExactly(alice);
		Client reconnected = this.hub.client(after);
		assertThat(reconnected).as("the server's view of the new connection").isNotNull();
		assertThat(reconnected.channels()).contains(publicChannel, ChatAuthorizer.inbox(alice),
				ChatAuthorizer.room(room));
		this.realtime.publish(publicChannel, "headline", Map.of("title", "again"));
		assertThat(data(news.nextEvent()).get("title").stringValue()).isEqualTo("again");
		assertThat(client.post("/direct", "to=" + alice + "&text=note to self")).isEqualTo(202);
		assertThat(data(inbox.nextEvent()).get("text").stringValue()).isEqualTo("note to self");
		assertThat(client.post("/messages", "room=" + room + "&text=back")).isEqualTo(202);
		assertThat(data(chat.nextEvent()).get("text").stringValue()).isEqualTo("back");
	}

	@Test
	void signedInClientGetsUserEventsAndTerminatingItsConnectionsKeepsItAway() throws InterruptedException {
		String alice = name("alice");
		JavaClient client = track(JavaClient.loggedIn(alice, this.port, webSocketPort(), this.appKey));
		BlockingQueue<PusherEvent> nudges = new LinkedBlockingQueue<>();
		client.pusher().user().bind("nudge", nudges::add);
		// Before connecting, as Pusher's docs show: signin() called right after the client
		// reports CONNECTED can race the client's own sign-in on connect and send two.
		client.pusher().signin();
		client.connect();
		JavaClient bob = loggedIn(name("bob"));
		// The nudge reaches alice once her user channel is joined: until then, ask again.
		PusherEvent nudge = null;
		long deadline = System.nanoTime() + JavaClient.TIMEOUT.toNanos();
		while (nudge == null && System.nanoTime() < deadline) {
			assertThat(bob.post("/nudge", "to=" + alice)).isEqualTo(202);
			nudge = nudges.poll(200, TimeUnit.MILLISECONDS);
		}
		assertThat(nudge).as("a nudge within %s", JavaClient.TIMEOUT).isNotNull();
		assertThat(client.pusher().user().userId()).isEqualTo(alice);

		com.pusher.rest.Pusher api = new com.pusher.rest.Pusher(this.appId, this.appKey, this.appSecret);
		api.setHost("127.0.0.1:" + this.port);
		Result result = api.post("/users/" + alice + "/terminate_connections", "{}");
		assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);

		// 4009 is in the range Pusher's clients must not reconnect on with the same parameters.
		client.awaitState(ConnectionState.DISCONNECTED);
		TimeUnit.SECONDS.sleep(2);
		assertThat(client.statesSinceLastAwait()).isEmpty();
		assertThat(this.hub.client(bob.socketId())).as("other users keep their connections").isNotNull();
		assertThat(client.pusher().getConnection().getState()).isEqualTo(ConnectionState.DISCONNECTED);
	}

}
