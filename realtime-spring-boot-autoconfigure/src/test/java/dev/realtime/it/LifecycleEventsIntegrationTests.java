package dev.realtime.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.event.ApplicationEventRelay;
import dev.realtime.event.ChannelSubscribedEvent;
import dev.realtime.event.ChannelUnsubscribedEvent;
import dev.realtime.event.ClientEventReceivedEvent;
import dev.realtime.event.ConnectionClosedEvent;
import dev.realtime.event.ConnectionEvent;
import dev.realtime.event.ConnectionOpenedEvent;
import dev.realtime.event.MemberAddedEvent;
import dev.realtime.event.MemberRemovedEvent;
import dev.realtime.event.RealtimeEvent;
import dev.realtime.event.SignedInEvent;
import dev.realtime.pusher.ConnectionLifecycleListener;
import dev.realtime.pusher.PusherConnection;
import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lifecycle events received by a real {@code @EventListener} bean while raw WebSocket
 * clients connect, subscribe, send client events, sign in and close; and a blocked
 * listener delaying no delivery.
 */
@SpringBootTest(
		classes = { TestApplication.class, LifecycleEventsIntegrationTests.RecordingListener.class,
				LifecycleEventsIntegrationTests.OwnLifecycleListener.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=events-app", "realtime.apps[0].key=test-key",
				"realtime.apps[0].secret=test-secret", "realtime.events.queue-capacity=16" })
class LifecycleEventsIntegrationTests {

	private static final String KEY = "test-key";

	@LocalServerPort
	private int port;

	@Autowired
	private RecordingListener listener;

	@Autowired
	private ApplicationEventRelay relay;

	@Autowired
	private Realtime realtime;

	@Autowired
	private Hub hub;

	@Autowired
	private OwnLifecycleListener ownListener;

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
		this.listener.open();
		this.clients.forEach(PusherTestClient::close);
	}

	@Test
	void aConnectionsLifeIsToldInOrderWithTheClientsCloseCode() {
		PusherTestClient client = connect();
		String socketId = client.socketId();
		subscribe(client, "news", null);
		subscribe(client, "private-desk", "alice");
		subscribe(client, "presence-room", "alice");
		client.sendOnChannel("client-typing", "presence-room", Map.of("who", "alice"));
		client.send("pusher:unsubscribe", Map.of("channel", "news"));
		signIn(client, "alice");
		client.closeWith(1000);
		await().until(() -> this.listener.of(socketId).stream().anyMatch(ConnectionClosedEvent.class::isInstance));
		List<ConnectionEvent> events = this.listener.of(socketId);
		assertThat(events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("ConnectionOpenedEvent", "ChannelSubscribedEvent", "ChannelSubscribedEvent",
					"ChannelSubscribedEvent", "ClientEventReceivedEvent", "ChannelUnsubscribedEvent", "SignedInEvent",
					"ConnectionClosedEvent");
		assertThat(events).allSatisfy((event) -> assertThat(event.getAppId()).isEqualTo("events-app"));
		assertThat(events).filteredOn(ChannelSubscribedEvent.class::isInstance)
			.map(ChannelSubscribedEvent.class::cast)
			.extracting(ChannelSubscribedEvent::getChannel, ChannelSubscribedEvent::getUserId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("news", null),
					org.assertj.core.groups.Tuple.tuple("private-desk", null),
					org.assertj.core.groups.Tuple.tuple("presence-room", "alice"));
		ClientEventReceivedEvent clientEvent = (ClientEventReceivedEvent) events.get(4);
		assertThat(clientEvent.getEvent()).isEqualTo("client-typing");
		assertThat(clientEvent.getChannel()).isEqualTo("presence-room");
		assertThat(clientEvent.getData()).isEqualTo("{\"who\":\"alice\"}");
		assertThat(clientEvent.getUserId()).isEqualTo("alice");
		assertThat(((ChannelUnsubscribedEvent) events.get(5)).getChannel()).isEqualTo("news");
		assertThat(((SignedInEvent) events.get(6)).getUserId()).isEqualTo("alice");
		ConnectionClosedEvent closed = (ConnectionClosedEvent) events.get(7);
		assertThat(closed.getCloseCode()).isEqualTo(1000);
		assertThat(closed.getUserId()).isEqualTo("alice");
		assertThat(closed.getChannels()).contains("private-desk", "presence-room").doesNotContain("news");
		await().until(() -> this.listener.members("presence-room").size() == 2);
		assertThat(this.listener.members("presence-room")).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("MemberAddedEvent", "MemberRemovedEvent");
		assertThat(((MemberAddedEvent) this.listener.members("presence-room").get(0)).getUserInfo())
			.isEqualTo("{\"name\":\"alice\"}");
		// The application's own ConnectionLifecycleListener is told as well as the relay.
		assertThat(this.ownListener.signedIn).contains(socketId);
	}

	@Test
	void aSecondTabIsNoNewMemberAndAServerCloseCarriesTheServersCode() {
		PusherTestClient first = connect();
		PusherTestClient second = connect();
		subscribe(first, "presence-tabs", "bob");
		subscribe(second, "presence-tabs", "bob");
		signIn(first, "bob");
		signIn(second, "bob");
		this.hub.disconnectUser("bob", CloseReason.TERMINATED);
		assertThat(first.awaitClose()).isEqualTo(CloseReason.TERMINATED.code());
		// Generous: on a loaded machine Tomcat may take a while to finish the second close.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> closeCode(first.socketId()) != null && closeCode(second.socketId()) != null);
		assertThat(closeCode(first.socketId())).isEqualTo(CloseReason.TERMINATED.code());
		assertThat(closeCode(second.socketId())).isEqualTo(CloseReason.TERMINATED.code());
		await().until(() -> this.listener.members("presence-tabs").size() == 2);
		assertThat(this.listener.members("presence-tabs")).hasExactlyElementsOfTypes(MemberAddedEvent.class,
				MemberRemovedEvent.class);
	}

	@Test
	void aBlockedListenerDelaysNoDeliveryAndWhatOverflowsIsCounted() throws Exception {
		PusherTestClient subscriber = connect();
		subscribe(subscriber, "ticker", null);
		await().until(() -> this.listener.of(subscriber.socketId()).size() == 2);
		this.listener.block();
		long droppedBefore = this.relay.dropped();
		for (int i = 0; i < 20; i++) {
			connect();
		}
		await().until(() -> this.relay.dropped() > droppedBefore);
		this.realtime.publish("ticker", "tick", Map.of("n", 1));
		assertThat(subscriber.expect("tick").get("data").get("n").asInt()).isEqualTo(1);
		this.listener.open();
		PusherTestClient late = connect();
		await().until(() -> this.listener.of(late.socketId()).size() == 1);
		assertThat(this.relay.dropped() - droppedBefore).isBetween(1L, 21L);
	}

	private Integer closeCode(String socketId) {
		return this.listener.of(socketId)
			.stream()
			.filter(ConnectionClosedEvent.class::isInstance)
			.map((event) -> ((ConnectionClosedEvent) event).getCloseCode())
			.findFirst()
			.orElse(null);
	}

	private PusherTestClient connect() {
		PusherTestClient client = PusherTestClient.connect(webSocketPort(), KEY);
		this.clients.add(client);
		return client;
	}

	private void subscribe(PusherTestClient client, String channel, String user) {
		if (user == null) {
			client.send("pusher:subscribe", Map.of("channel", channel));
		}
		else {
			JsonNode auth = new AuthClient(this.port).authorize(user, client.socketId(), channel);
			JsonNode channelData = auth.get("channel_data");
			client.send("pusher:subscribe", (channelData != null)
					? Map.of("channel", channel, "auth", auth.get("auth").stringValue(), "channel_data",
							channelData.stringValue())
					: Map.of("channel", channel, "auth", auth.get("auth").stringValue()));
		}
		client.expect("pusher_internal:subscription_succeeded");
	}

	private void signIn(PusherTestClient client, String user) {
		HttpResponse<String> response = new AuthClient(this.port).userAuth(user, client.socketId());
		JsonNode body = JsonMapper.shared().readTree(response.body());
		client.send("pusher:signin",
				Map.of("auth", body.get("auth").stringValue(), "user_data", body.get("user_data").stringValue()));
		client.expect("pusher:signin_success");
	}

	/**
	 * An application's own protocol-level listener, told beside the event relay.
	 */
	@Component
	static class OwnLifecycleListener implements ConnectionLifecycleListener {

		final List<String> signedIn = new CopyOnWriteArrayList<>();

		@Override
		public void signedIn(PusherConnection connection, String userId) {
			this.signedIn.add(connection.socketId());
		}

	}

	/**
	 * An application's listener: records every realtime event; can be held up to play a
	 * slow listener.
	 */
	@Component
	static class RecordingListener {

		private final List<RealtimeEvent> events = new CopyOnWriteArrayList<>();

		private volatile CountDownLatch gate = new CountDownLatch(0);

		@EventListener
		void on(RealtimeEvent event) throws InterruptedException {
			this.gate.await(30, TimeUnit.SECONDS);
			this.events.add(event);
		}

		void block() {
			this.gate = new CountDownLatch(1);
		}

		void open() {
			this.gate.countDown();
		}

		List<ConnectionEvent> of(String socketId) {
			return this.events.stream()
				.filter((event) -> event instanceof ConnectionEvent connection
						&& connection.getSocketId().equals(socketId))
				.map(ConnectionEvent.class::cast)
				.toList();
		}

		List<RealtimeEvent> members(String channel) {
			return this.events.stream()
				.filter((event) -> event instanceof MemberAddedEvent added && added.getChannel().equals(channel)
						|| event instanceof MemberRemovedEvent removed && removed.getChannel().equals(channel))
				.toList();
		}

	}

}
