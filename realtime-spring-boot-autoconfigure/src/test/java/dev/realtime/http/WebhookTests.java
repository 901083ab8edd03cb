package dev.realtime.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.realtime.ChannelStats;
import dev.realtime.Client;
import dev.realtime.Hub;
import dev.realtime.Member;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.broadcast.MemoryChannelCache;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.CacheChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks from a hub to a real local receiver that verifies them as Pusher webhook
 * handlers do.
 */
class WebhookTests {

	private static final App APP = new App("3", "278d425bdf160c739803", "7ad3773142a6692b25b8");

	private static final Duration DEBOUNCE = Duration.ofMillis(300);

	private final Hub hub = new Hub();

	private final MemoryBroadcaster broadcaster = new MemoryBroadcaster();

	private WebhookReceiver receiver;

	private HttpWebhookSender sender;

	private WebhookDispatcher dispatcher;

	private CacheChannels cacheChannels;

	@BeforeEach
	void start() throws Exception {
		this.receiver = new WebhookReceiver(APP.id(), APP.key(), APP.secret());
	}

	@AfterEach
	void stop() throws Exception {
		if (this.dispatcher != null) {
			this.dispatcher.close();
		}
		if (this.sender != null) {
			this.sender.close();
		}
		this.broadcaster.close();
		this.hub.close();
		this.receiver.close();
	}

	@Test
	void channelOccupiedThenVacatedAfterTheDebounce() {
		dispatch(EnumSet.allOf(WebhookEventType.class));
		Client client = subscribe("orders", null);
		await().until(() -> this.receiver.names().contains("channel_occupied"));
		assertThat(this.receiver.named("channel_occupied").get(0).get("channel").asString()).isEqualTo("orders");
		this.hub.remove(client);
		await().until(() -> this.receiver.names().contains("channel_vacated"));
		assertThat(this.receiver.named("channel_vacated").get(0).get("channel").asString()).isEqualTo("orders");
		assertThat(this.receiver.problems).isEmpty();
	}

	@Test
	void aReloadWithinTheDebounceSendsNeitherVacatedNorOccupied() throws Exception {
		dispatch(EnumSet.allOf(WebhookEventType.class));
		Client first = subscribe("presence-room", new Member("u1", "{}"));
		await().until(() -> this.receiver.names().containsAll(List.of("channel_occupied", "member_added")));
		this.hub.remove(first);
		subscribe("presence-room", new Member("u1", "{}"));
		Thread.sleep(DEBOUNCE.toMillis() * 2);
		// Sent after the debounce expired: once it arrives, a vacated would have arrived too.
		subscribeToCacheChannel("cache-marker");
		await().until(() -> this.receiver.names().contains("cache_miss"));
		List<String> room = this.receiver.events.stream()
			.filter((event) -> event.get("channel").asString().equals("presence-room"))
			.map((event) -> event.get("name").asString())
			.filter((name) -> !name.equals("subscription_count"))
			.toList();
		assertThat(room).containsExactlyInAnyOrder("channel_occupied", "member_added");
		assertThat(this.dispatcher.suppressed()).isEqualTo(2);
	}

	@Test
	void memberAddedOnceForTwoTabsAndRemovedAfterTheLastLeaves() {
		dispatch(EnumSet.of(WebhookEventType.MEMBER_ADDED, WebhookEventType.MEMBER_REMOVED));
		Client tab1 = subscribe("presence-team", new Member("alice", "{}"));
		Client tab2 = subscribe("presence-team", new Member("alice", "{}"));
		await().until(() -> this.receiver.names().contains("member_added"));
		JsonNode added = this.receiver.named("member_added").get(0);
		assertThat(added.get("channel").asString()).isEqualTo("presence-team");
		assertThat(added.get("user_id").asString()).isEqualTo("alice");
		this.hub.remove(tab1);
		this.hub.remove(tab2);
		await().until(() -> this.receiver.names().contains("member_removed"));
		assertThat(this.receiver.named("member_removed").get(0).get("user_id").asString()).isEqualTo("alice");
		assertThat(this.receiver.names()).containsOnlyOnce("member_added", "member_removed");
	}

	@Test
	void clientEventsAreReportedByTheSendersNode() {
		dispatch(EnumSet.of(WebhookEventType.CLIENT_EVENT));
		Client sender = subscribe("presence-chat", new Member("bob", "{}"));
		this.broadcaster.publish(new Event("presence-chat", "client-typing", "{\"on\":true}", sender.id(), "bob"));
		// From a connection of another node: not this node's to report.
		this.broadcaster.publish(new Event("presence-chat", "client-remote", "{}", "999.999", "carol"));
		this.broadcaster.publish(new Event("presence-chat", "server-event", "{}"));
		await().until(() -> this.receiver.names().contains("client_event"));
		JsonNode event = this.receiver.named("client_event").get(0);
		assertThat(event.get("channel").asString()).isEqualTo("presence-chat");
		assertThat(event.get("event").asString()).isEqualTo("client-typing");
		assertThat(event.get("data").asString()).isEqualTo("{\"on\":true}");
		assertThat(event.get("socket_id").asString()).isEqualTo(sender.id());
		assertThat(event.get("user_id").asString()).isEqualTo("bob");
		assertThat(this.receiver.names()).containsExactly("client_event");
	}

	@Test
	void cacheMissIsReported() {
		dispatch(EnumSet.of(WebhookEventType.CACHE_MISS));
		subscribeToCacheChannel("cache-weather");
		await().until(() -> this.receiver.names().contains("cache_miss"));
		assertThat(this.receiver.named("cache_miss").get(0).get("channel").asString()).isEqualTo("cache-weather");
	}

	@Test
	void subscriptionCountsAreReportedWhenTheyChange() {
		dispatch(EnumSet.of(WebhookEventType.SUBSCRIPTION_COUNT));
		subscribe("scores", null);
		subscribe("scores", null);
		await().until(() -> this.receiver.named("subscription_count")
			.stream()
			.anyMatch((event) -> event.get("subscription_count").asInt() == 2));
		assertThat(this.receiver.named("subscription_count").get(0).get("channel").asString()).isEqualTo("scores");
	}

	@Test
	void disabledEventsAreNotSent() throws Exception {
		dispatch(EnumSet.of(WebhookEventType.CACHE_MISS));
		Client client = subscribe("quiet", null);
		this.hub.remove(client);
		Thread.sleep(DEBOUNCE.toMillis() * 2);
		subscribeToCacheChannel("cache-marker");
		await().until(() -> this.receiver.names().contains("cache_miss"));
		assertThat(this.receiver.names()).containsExactly("cache_miss");
	}

	@Test
	void failedRequestsAreRetriedWithBackoff() {
		this.receiver.failuresToAnswer.set(2);
		dispatch(EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED));
		subscribe("retry-me", null);
		await().until(() -> this.receiver.names().contains("channel_occupied"));
		// The receiver records the event before it answers; the sender counts the delivery
		// once it has read the answer.
		await().until(() -> this.sender.delivered() == 1);
		assertThat(this.receiver.requests.get()).isEqualTo(3);
		assertThat(this.sender.retried()).isEqualTo(2);
		assertThat(this.sender.failed()).isZero();
	}

	@Test
	void aDeadReceiverIsCountedAsFailedAndDoesNotStopTheHub() throws Exception {
		URI dead;
		try (WebhookReceiver gone = new WebhookReceiver(APP.id(), APP.key(), APP.secret())) {
			dead = gone.url();
		}
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(dead, APP)), settings(2, 100),
				JsonMapper.shared(), Clock.systemUTC());
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, WebhookDeduplicator.SINGLE_NODE,
				EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED), DEBOUNCE, Duration.ofSeconds(1), settings(2, 100));
		for (int i = 0; i < 5; i++) {
			subscribe("dead-" + i, null);
		}
		await().until(() -> this.sender.failed() >= 1);
		assertThat(this.sender.delivered()).isZero();
		assertThat(this.hub.channels()).hasSize(5);
	}

	@Test
	void aFullQueueDropsAndCounts() {
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP)), settings(1, 1),
				JsonMapper.shared(), Clock.systemUTC());
		for (int i = 0; i < 1000; i++) {
			this.sender.send(WebhookEvent.of(WebhookEventType.CACHE_MISS, "c" + i));
		}
		assertThat(this.sender.dropped()).isPositive();
		await().until(() -> this.receiver.events.size() + this.sender.dropped() == 1000);
	}

	@Test
	void onlyTheNodeWinningTheClaimSends() {
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP)), settings(3, 100),
				JsonMapper.shared(), Clock.systemUTC());
		Set<String> claimed = ConcurrentHashMap.newKeySet();
		WebhookDeduplicator shared = (key, window) -> claimed.add(key);
		Hub other = new Hub();
		try (WebhookDispatcher mine = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, shared,
				EnumSet.of(WebhookEventType.MEMBER_ADDED), DEBOUNCE, Duration.ofSeconds(1), settings(3, 100));
				WebhookDispatcher theirs = new WebhookDispatcher(other, other::onPresence, this.broadcaster,
						ChannelStats.of(other), this.sender, shared,
						EnumSet.of(WebhookEventType.MEMBER_ADDED), DEBOUNCE, Duration.ofSeconds(1), settings(3, 100))) {
			subscribe("presence-x", new Member("dave", "{}"));
			other.subscribe(other.add(new RecordingConn()), "presence-x", new Member("dave", "{}"));
			subscribe("presence-x", new Member("erin", "{}"));
			await().until(() -> this.receiver.named("member_added").size() == 2);
			assertThat(this.receiver.named("member_added").stream().map((event) -> event.get("user_id").asString()))
				.containsExactlyInAnyOrder("dave", "erin");
		}
		finally {
			other.close();
		}
	}

	@Test
	void aChurnOfChannelsWithASlowReceiverDoesNotCrowdOutAGenuineMemberRemoved() {
		this.receiver.delayMillis.set(200);
		WebhookSettings small = new WebhookSettings(100, 100, 3, Duration.ofMillis(50), Duration.ofMillis(200),
				Duration.ofSeconds(5), 50, 2, Duration.ofSeconds(5));
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP)), small,
				JsonMapper.shared(), Clock.systemUTC());
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, WebhookDeduplicator.SINGLE_NODE,
				EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED, WebhookEventType.CHANNEL_VACATED,
						WebhookEventType.MEMBER_ADDED, WebhookEventType.MEMBER_REMOVED, WebhookEventType.CACHE_MISS),
				DEBOUNCE, Duration.ofSeconds(1), small);
		Client alice = subscribe("presence-room", new Member("alice", "{}"));
		await().until(() -> this.receiver.names().contains("member_added"));
		// Anyone can do this: join and leave thousands of random channels, miss caches.
		for (int i = 0; i < 5000; i++) {
			Client churn = subscribe("churn-" + i, null);
			this.hub.remove(churn);
			this.dispatcher.cacheMiss("cache-" + i);
			if (i == 2500) {
				this.hub.remove(alice);
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.names().contains("member_removed"));
		assertThat(this.receiver.named("member_removed").get(0).get("user_id").asString()).isEqualTo("alice");
		assertThat(this.sender.dropped()).isPositive();
		assertThat(this.sender.presenceDropped()).isZero();
		assertThat(this.dispatcher.presenceDropped()).isZero();
	}

	@Test
	void removalsWaitingForTheDebounceAreSentWhenTheNodeShutsDown() throws Exception {
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP)), settings(3, 100),
				JsonMapper.shared(), Clock.systemUTC());
		// A debounce far longer than the test: only the shutdown can send the removals.
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, WebhookDeduplicator.SINGLE_NODE,
				EnumSet.allOf(WebhookEventType.class), Duration.ofMinutes(10), Duration.ofMinutes(10),
				settings(3, 100));
		subscribe("presence-desk", new Member("bob", "{}"));
		subscribe("orders", null);
		await().until(() -> this.receiver.names().containsAll(List.of("channel_occupied", "member_added")));
		// As the application context closes: the hub (its connections leave), then the
		// dispatcher, then the sender.
		this.hub.close();
		this.dispatcher.close();
		this.sender.close();
		assertThat(this.receiver.names()).contains("channel_vacated", "member_removed");
		assertThat(this.receiver.named("channel_vacated").stream().map((event) -> event.get("channel").asString()))
			.containsExactlyInAnyOrder("presence-desk", "orders");
		assertThat(this.receiver.named("member_removed").get(0).get("user_id").asString()).isEqualTo("bob");
	}

	@Test
	void aClosingApplicationContextDeliversTheRemovalsWaitingForTheDebounce() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
			.withPropertyValues("realtime.apps[0].id=" + APP.id(), "realtime.apps[0].key=" + APP.key(),
					"realtime.apps[0].secret=" + APP.secret(), "realtime.webhooks.endpoints[0].url=" + this.receiver.url(),
					"realtime.webhooks.debounce=10m")
			.run((context) -> {
				Hub hub = context.getBean(Hub.class);
				hub.subscribe(hub.add(new RecordingConn()), "presence-lobby", new Member("carol", "{}"));
				await().until(() -> this.receiver.names().contains("member_added"));
			});
		assertThat(this.receiver.names()).contains("channel_vacated", "member_removed");
		assertThat(this.receiver.named("member_removed").get(0).get("user_id").asString()).isEqualTo("carol");
	}

	@Test
	void eachEndpointReceivesOnlyItsOwnEventsChannelsAndHeaders() throws Exception {
		try (WebhookReceiver other = new WebhookReceiver(APP.id(), APP.key(), APP.secret())) {
			WebhookEndpoint members = new WebhookEndpoint(this.receiver.url(), APP,
					EnumSet.of(WebhookEventType.MEMBER_ADDED, WebhookEventType.MEMBER_REMOVED), "presence-vip-", null,
					Map.of("Authorization", "Bearer members-token"));
			WebhookEndpoint orders = new WebhookEndpoint(other.url(), APP, EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED),
					"orders-", "-eu", Map.of("X-Receiver", "orders"));
			dispatch(EnumSet.allOf(WebhookEventType.class), members, orders);
			Client alice = subscribe("presence-vip-1", new Member("alice", "{}"));
			subscribe("presence-lobby", new Member("bob", "{}"));
			subscribe("orders-42-us", null);
			subscribe("refunds-eu", null);
			subscribe("orders-42-eu", null);
			await().until(() -> this.receiver.names().contains("member_added") && !other.events.isEmpty());
			this.hub.remove(alice);
			await().until(() -> this.receiver.names().contains("member_removed"));
			// Anything else would have been queued before the removal, which waited the debounce.
			Thread.sleep(DEBOUNCE.toMillis());
			assertThat(this.receiver.events).extracting((event) -> event.get("name").asString() + " "
					+ event.get("channel").asString() + " " + event.get("user_id").asString())
				.containsExactly("member_added presence-vip-1 alice", "member_removed presence-vip-1 alice");
			assertThat(other.events)
				.extracting((event) -> event.get("name").asString() + " " + event.get("channel").asString())
				.containsExactly("channel_occupied orders-42-eu");
			// No request at all where nothing was left for an endpoint.
			assertThat(this.receiver.requests.get()).isEqualTo(2);
			assertThat(other.requests.get()).isEqualTo(1);
			assertThat(this.receiver.header("Authorization")).containsExactly("Bearer members-token",
					"Bearer members-token");
			assertThat(this.receiver.header("X-Receiver")).containsOnlyNulls();
			assertThat(other.header("X-Receiver")).containsExactly("orders");
			assertThat(other.header("Authorization")).containsOnlyNulls();
			// Each body signed on its own: the receivers check every signature.
			assertThat(this.receiver.problems).isEmpty();
			assertThat(other.problems).isEmpty();
			assertThat(this.sender.delivered()).isEqualTo(3);
		}
	}

	@Test
	void aRetryGoesToItsEndpointOnlyWithItsHeaders() throws Exception {
		try (WebhookReceiver other = new WebhookReceiver(APP.id(), APP.key(), APP.secret())) {
			this.receiver.failuresToAnswer.set(2);
			this.sender = new HttpWebhookSender(List.of(
					new WebhookEndpoint(this.receiver.url(), APP, EnumSet.of(WebhookEventType.CACHE_MISS), null, null,
							Map.of("Authorization", "Bearer flaky")),
					new WebhookEndpoint(other.url(), APP, EnumSet.of(WebhookEventType.CACHE_MISS), "cache-", null,
							Map.of("X-Receiver", "steady"))),
					settings(3, 100), JsonMapper.shared(), Clock.systemUTC());
			this.sender.send(WebhookEvent.of(WebhookEventType.CACHE_MISS, "cache-x"));
			await().until(() -> this.sender.delivered() == 2);
			assertThat(this.receiver.requests.get()).isEqualTo(3);
			assertThat(this.receiver.header("Authorization")).containsExactly("Bearer flaky", "Bearer flaky",
					"Bearer flaky");
			assertThat(other.requests.get()).isEqualTo(1);
			assertThat(this.receiver.names()).containsExactly("cache_miss");
			assertThat(other.names()).containsExactly("cache_miss");
			assertThat(this.sender.retried()).isEqualTo(2);
			assertThat(this.sender.failed()).isZero();
		}
	}

	@Test
	void anEventNoEndpointIsSentIsNeitherQueuedNorClaimed() {
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP,
				EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED), "wanted-", null, Map.of())), settings(3, 100),
				JsonMapper.shared(), Clock.systemUTC());
		Set<String> claimed = ConcurrentHashMap.newKeySet();
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, (key, window) -> claimed.add(key),
				EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED), DEBOUNCE, Duration.ofSeconds(1), settings(3, 100));
		subscribe("unwanted-1", null);
		subscribe("wanted-1", null);
		await().until(() -> this.receiver.names().contains("channel_occupied"));
		assertThat(this.receiver.named("channel_occupied")).extracting((event) -> event.get("channel").asString())
			.containsExactly("wanted-1");
		// Changes are decided in order: the unwanted one was decided first, and not claimed.
		assertThat(claimed).containsExactly("channel_occupied:wanted-1");
		this.sender.send(WebhookEvent.of(WebhookEventType.CHANNEL_OCCUPIED, "unwanted-2"));
		assertThat(this.sender.queued()).isZero();
		assertThat(this.sender.dropped()).isZero();
	}

	@Test
	void twoNodesSendEachEndpointItsEventsOnce() throws Exception {
		Set<String> claimed = ConcurrentHashMap.newKeySet();
		WebhookDeduplicator shared = (key, window) -> claimed.add(key);
		Hub otherHub = new Hub();
		try (WebhookReceiver other = new WebhookReceiver(APP.id(), APP.key(), APP.secret());
				HttpWebhookSender mine = new HttpWebhookSender(nodeEndpoints(other), settings(3, 100),
						JsonMapper.shared(), Clock.systemUTC());
				HttpWebhookSender theirs = new HttpWebhookSender(nodeEndpoints(other), settings(3, 100),
						JsonMapper.shared(), Clock.systemUTC());
				WebhookDispatcher mineDispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence,
						this.broadcaster, ChannelStats.of(this.hub), mine, shared,
						EnumSet.of(WebhookEventType.MEMBER_ADDED, WebhookEventType.CHANNEL_OCCUPIED), DEBOUNCE,
						Duration.ofSeconds(1), settings(3, 100));
				WebhookDispatcher theirsDispatcher = new WebhookDispatcher(otherHub, otherHub::onPresence,
						this.broadcaster, ChannelStats.of(otherHub), theirs, shared,
						EnumSet.of(WebhookEventType.MEMBER_ADDED, WebhookEventType.CHANNEL_OCCUPIED), DEBOUNCE,
						Duration.ofSeconds(1), settings(3, 100))) {
			subscribe("presence-x", new Member("dave", "{}"));
			otherHub.subscribe(otherHub.add(new RecordingConn()), "presence-x", new Member("dave", "{}"));
			await().until(() -> this.receiver.names().contains("member_added") && !other.events.isEmpty());
			Thread.sleep(DEBOUNCE.toMillis());
			assertThat(this.receiver.names()).containsExactly("member_added");
			assertThat(other.names()).containsExactly("channel_occupied");
			assertThat(this.receiver.problems).isEmpty();
			assertThat(other.problems).isEmpty();
		}
		finally {
			otherHub.close();
		}
	}

	@Test
	void anEventTypeOnlyOneEndpointAskedForIsProducedForThatEndpointOnly() throws Exception {
		try (WebhookReceiver clientEvents = new WebhookReceiver(APP.id(), APP.key(), APP.secret())) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
				.withPropertyValues("realtime.apps[0].id=" + APP.id(), "realtime.apps[0].key=" + APP.key(),
						"realtime.apps[0].secret=" + APP.secret(), "realtime.webhooks.events=channel_occupied",
						"realtime.webhooks.endpoints[0].url=" + this.receiver.url(),
						"realtime.webhooks.endpoints[1].url=" + clientEvents.url(),
						"realtime.webhooks.endpoints[1].events=client_event",
						"realtime.webhooks.endpoints[1].filter.prefix=private-",
						"realtime.webhooks.endpoints[1].headers.Authorization=Bearer from-config")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Hub hub = context.getBean(Hub.class);
					Client sender = hub.add(new RecordingConn());
					hub.subscribe(sender, "private-chat", null);
					await().until(() -> this.receiver.names().contains("channel_occupied"));
					Broadcaster broadcaster = context.getBean(Broadcaster.class);
					broadcaster.publish(new Event("public-chat", "client-ignored", "{}", sender.id(), null));
					broadcaster.publish(new Event("private-chat", "client-typing", "{}", sender.id(), null));
					await().until(() -> clientEvents.names().contains("client_event"));
				});
			assertThat(clientEvents.events).extracting((event) -> event.get("event").asString())
				.containsExactly("client-typing");
			assertThat(clientEvents.header("Authorization")).containsOnly("Bearer from-config");
			assertThat(this.receiver.names()).containsOnly("channel_occupied");
			assertThat(this.receiver.header("Authorization")).containsOnlyNulls();
			assertThat(this.receiver.problems).isEmpty();
			assertThat(clientEvents.problems).isEmpty();
		}
	}

	@Test
	void anotherAppsEndpointSelectsItsEventsAndTheAppsOwnWebhooksGetTheGlobalOnes() throws Exception {
		App tenant = new App("4", "tenant-key", "tenant-secret");
		try (WebhookReceiver selective = new WebhookReceiver(tenant.id(), tenant.key(), tenant.secret());
				WebhookReceiver own = new WebhookReceiver(tenant.id(), tenant.key(), tenant.secret())) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
				.withPropertyValues("realtime.apps[0].id=" + APP.id(), "realtime.apps[0].key=" + APP.key(),
						"realtime.apps[0].secret=" + APP.secret(), "realtime.apps[1].id=" + tenant.id(),
						"realtime.apps[1].key=" + tenant.key(), "realtime.apps[1].secret=" + tenant.secret(),
						"realtime.apps[1].webhooks[0]=" + own.url(), "realtime.webhooks.events=channel_occupied",
						"realtime.webhooks.endpoints[0].url=" + selective.url(),
						"realtime.webhooks.endpoints[0].app-id=" + tenant.id(),
						"realtime.webhooks.endpoints[0].events=channel_occupied,channel_vacated",
						"realtime.webhooks.endpoints[0].filter.suffix=-eu",
						"realtime.webhooks.endpoints[0].headers.X-Tenant=four", "realtime.webhooks.debounce=100ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					App registered = context.getBean(AppRegistry.class).findById(tenant.id());
					Hub hub = context.getBean(AppHubs.class).forApp(registered).hub();
					Client eu = hub.add(new RecordingConn());
					hub.subscribe(eu, "orders-eu", null);
					hub.subscribe(hub.add(new RecordingConn()), "orders-us", null);
					await().until(() -> own.names().size() == 2 && selective.names().contains("channel_occupied"));
					hub.remove(eu);
					await().until(() -> selective.names().contains("channel_vacated"));
				});
			assertThat(selective.events)
				.extracting((event) -> event.get("name").asString() + " " + event.get("channel").asString())
				.containsExactly("channel_occupied orders-eu", "channel_vacated orders-eu");
			assertThat(selective.header("X-Tenant")).containsOnly("four");
			// Its own webhooks setting: realtime.webhooks.events, every channel, no extra header.
			assertThat(own.events)
				.extracting((event) -> event.get("name").asString() + " " + event.get("channel").asString())
				.containsExactlyInAnyOrder("channel_occupied orders-eu", "channel_occupied orders-us");
			assertThat(own.header("X-Tenant")).containsOnlyNulls();
			assertThat(selective.problems).isEmpty();
			assertThat(own.problems).isEmpty();
			assertThat(this.receiver.requests.get()).isZero();
		}
	}

	/** Member events of presence channels to this receiver, occupied channels to the other. */
	private List<WebhookEndpoint> nodeEndpoints(WebhookReceiver other) {
		return List.of(
				new WebhookEndpoint(this.receiver.url(), APP, EnumSet.of(WebhookEventType.MEMBER_ADDED), "presence-",
						null, Map.of()),
				new WebhookEndpoint(other.url(), APP, EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED), null, null,
						Map.of()));
	}

	private void dispatch(Set<WebhookEventType> events, WebhookEndpoint... endpoints) {
		this.sender = new HttpWebhookSender(List.of(endpoints), settings(3, 100), JsonMapper.shared(),
				Clock.systemUTC());
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, WebhookDeduplicator.SINGLE_NODE, events, DEBOUNCE,
				Duration.ofMillis(100), settings(3, 100));
	}

	private void dispatch(Set<WebhookEventType> events) {
		this.sender = new HttpWebhookSender(List.of(new WebhookEndpoint(this.receiver.url(), APP)), settings(3, 100),
				JsonMapper.shared(), Clock.systemUTC());
		this.dispatcher = new WebhookDispatcher(this.hub, this.hub::onPresence, this.broadcaster,
				ChannelStats.of(this.hub), this.sender, WebhookDeduplicator.SINGLE_NODE, events, DEBOUNCE,
				Duration.ofMillis(100), settings(3, 100));
		this.cacheChannels = new CacheChannels(new MemoryChannelCache(Duration.ofMinutes(1), Clock.systemUTC()),
				this.dispatcher::cacheMiss);
	}

	private static WebhookSettings settings(int maxAttempts, int queueCapacity) {
		return new WebhookSettings(queueCapacity, queueCapacity, maxAttempts, Duration.ofMillis(50),
				Duration.ofMillis(200), Duration.ofSeconds(2), 50, 4, Duration.ofSeconds(5));
	}

	/** As the protocol handler does: join, then ask what to replay. */
	private void subscribeToCacheChannel(String channel) {
		Client client = subscribe(channel, null);
		this.hub.sendTo(client.id(), this.cacheChannels.replay(channel));
	}

	private Client subscribe(String channel, Member member) {
		Client client = this.hub.add(new RecordingConn());
		this.hub.subscribe(client, channel, member);
		return client;
	}

}
