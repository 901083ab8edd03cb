package dev.realtime.redis;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.broadcast.Event;
import dev.realtime.http.WebhookDispatcher;
import dev.realtime.http.WebhookEvent;
import dev.realtime.http.WebhookEventType;
import dev.realtime.http.WebhookSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster side of the HTTP API, webhooks and cache channels on a real Redis: a cache
 * shared by the nodes, one claim per webhook event, termination on every node.
 */
class RedisHttpApiClusterTest extends RedisNodesTestSupport {

	private static final Duration DEBOUNCE = Duration.ofMillis(500);

	private static final WebhookSettings SETTINGS = new WebhookSettings(100, 100, 1, Duration.ofMillis(50),
			Duration.ofMillis(50), Duration.ofSeconds(1), 50, 4, Duration.ofSeconds(1));

	@Test
	void cachedEventsAreSharedByTheNodesAndExpire() {
		TestNode a = node("a");
		TestNode b = node("b");
		awaitUp(a, b);
		RedisChannelCache cacheA = new RedisChannelCache(a.connections, Duration.ofMinutes(1));
		RedisChannelCache cacheB = new RedisChannelCache(b.connections, Duration.ofMinutes(1));
		cacheA.put(new Event("cache-prices", "price:update", "{\"eur\":1}"));
		cacheA.put(new Event("cache-prices", "price:update", "{\"eur\":2}"));
		await().untilAsserted(() -> assertThat(cacheB.get("cache-prices"))
			.isEqualTo(new Event("cache-prices", "price:update", "{\"eur\":2}")));
		assertThat(cacheB.get("cache-other")).isNull();
		RedisChannelCache shortLived = new RedisChannelCache(a.connections, Duration.ofMillis(100));
		shortLived.put(new Event("cache-brief", "e", "x"));
		await().until(() -> cacheB.get("cache-brief") == null);
		assertThat(cacheA.failures()).isZero();
	}

	@Test
	void encodingKeepsAnyNameAndPayload() {
		Event event = new Event("cache-x", "a:b:12:", "3:{\"k\":\"v:w\"}");
		assertThat(RedisChannelCache.decode("cache-x", RedisChannelCache.encode(event))).isEqualTo(event);
		assertThat(RedisChannelCache.decode("cache-x", "garbage")).isNull();
		assertThat(RedisChannelCache.decode("cache-x", "99:short")).isNull();
	}

	@Test
	void exactlyOneNodeWinsAWebhookClaimPerWindow() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		awaitUp(a, b);
		RedisWebhookDeduplicator onA = new RedisWebhookDeduplicator(a.connections);
		RedisWebhookDeduplicator onB = new RedisWebhookDeduplicator(b.connections);
		assertThat(onA.claim("channel_occupied:orders", Duration.ofMillis(300))).isTrue();
		assertThat(onB.claim("channel_occupied:orders", Duration.ofMillis(300))).isFalse();
		assertThat(onA.claim("channel_occupied:orders", Duration.ofMillis(300))).isFalse();
		assertThat(onB.claim("channel_occupied:other", Duration.ofMillis(300))).isTrue();
		Thread.sleep(400);
		assertThat(onB.claim("channel_occupied:orders", Duration.ofMillis(300))).isTrue();
		assertThat(onA.unverified()).isZero();
	}

	@Test
	void theClusterSendsOneOccupiedAndOneVacatedForAChannelOnTwoNodes() throws Exception {
		TestNode a = node("a");
		TestNode b = node("b");
		awaitUp(a, b);
		List<WebhookEvent> sent = new CopyOnWriteArrayList<>();
		EnumSet<WebhookEventType> types = EnumSet.of(WebhookEventType.CHANNEL_OCCUPIED,
				WebhookEventType.CHANNEL_VACATED, WebhookEventType.MEMBER_ADDED, WebhookEventType.MEMBER_REMOVED);
		try (WebhookDispatcher onA = new WebhookDispatcher(a.hub, a.presence::onClusterPresence, a.broadcaster, a.stats, sent::add,
				new RedisWebhookDeduplicator(a.connections), types, DEBOUNCE, Duration.ofSeconds(1), SETTINGS);
				WebhookDispatcher onB = new WebhookDispatcher(b.hub, b.presence::onClusterPresence, b.broadcaster, b.stats, sent::add,
						new RedisWebhookDeduplicator(b.connections), types, DEBOUNCE, Duration.ofSeconds(1), SETTINGS)) {
			Client onNodeA = a.joinPresence(new RecordingConn(), "presence-room", "alice");
			Client onNodeB = b.joinPresence(new RecordingConn(), "presence-room", "alice");
			await().until(() -> sent.size() >= 2);
			a.hub.remove(onNodeA);
			// Still held on b: after the debounce neither vacated nor member_removed is sent.
			Thread.sleep(DEBOUNCE.toMillis() * 3);
			assertThat(names(sent)).containsExactlyInAnyOrder("channel_occupied", "member_added");
			b.hub.remove(onNodeB);
			await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 4);
			Thread.sleep(DEBOUNCE.toMillis());
			assertThat(names(sent)).containsExactlyInAnyOrder("channel_occupied", "member_added", "channel_vacated",
					"member_removed");
		}
	}

	@Test
	void terminatingAUserClosesItsConnectionsOnEveryNode() {
		TestNode a = node("a");
		TestNode b = node("b");
		awaitUp(a, b);
		RecordingConn onA = new RecordingConn();
		RecordingConn onB = new RecordingConn();
		a.hub.signIn(a.connect(onA), "u1");
		b.hub.signIn(b.connect(onB), "u1");
		await().until(() -> b.broadcaster.subscribedChannels().contains("#server-to-user-u1"));
		a.broadcaster.terminateUserConnections("u1");
		await().until(() -> onA.closed() != null && onB.closed() != null);
		assertThat(onB.closed()).isEqualTo(CloseReason.TERMINATED);
	}

	private static List<String> names(List<WebhookEvent> events) {
		return events.stream().map((event) -> event.type().wireName()).toList();
	}

	private static void awaitUp(TestNode... nodes) {
		for (TestNode node : nodes) {
			await().until(node.connections::isUp);
		}
	}

}
