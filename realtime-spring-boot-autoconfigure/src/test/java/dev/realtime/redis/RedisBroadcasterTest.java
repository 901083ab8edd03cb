package dev.realtime.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.broadcast.Event;
import dev.realtime.internal.EventHolds;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broadcaster with several nodes on one real Redis.
 */
class RedisBroadcasterTest extends RedisNodesTestSupport {

	@Test
	void eventsReachEverySubscriberOnEveryNodeOnceInPublishOrder() {
		TestNode a = node("a");
		TestNode b = node("b");
		TestNode c = node("c");
		RecordingConn onA = subscribe(a, "orders");
		RecordingConn onB = subscribe(b, "orders");
		RecordingConn onC = subscribe(c, "orders");
		RecordingConn otherChannelOnC = subscribe(c, "other");
		awaitSubscribed("orders", 3);
		List<String> expected = IntStream.range(0, 2000).mapToObj(Integer::toString).toList();
		for (String payload : expected) {
			a.broadcaster.publish(new Event("orders", "created", payload));
		}
		for (RecordingConn conn : List.of(onA, onB, onC)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> conn.payloads("created").size() >= expected.size());
		}
		// Exactly once each, in order: the publishing node's own subscriber included.
		assertThat(onA.payloads("created")).containsExactlyElementsOf(expected);
		assertThat(onB.payloads("created")).containsExactlyElementsOf(expected);
		assertThat(onC.payloads("created")).containsExactlyElementsOf(expected);
		assertThat(otherChannelOnC.payloads("created")).isEmpty();
		assertThat(a.broadcaster.dropped() + b.broadcaster.dropped() + c.broadcaster.dropped()).isZero();
	}

	@Test
	void interleavedPublishersKeepTheirOwnOrderOnEveryNode() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onA = subscribe(a, "chat");
		RecordingConn onB = subscribe(b, "chat");
		awaitSubscribed("chat", 2);
		for (int i = 0; i < 500; i++) {
			a.broadcaster.publish(new Event("chat", "m", "a" + i));
			b.broadcaster.publish(new Event("chat", "m", "b" + i));
		}
		for (RecordingConn conn : List.of(onA, onB)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> conn.payloads("m").size() >= 1000);
			List<String> payloads = conn.payloads("m");
			assertThat(payloads).hasSize(1000);
			assertThat(payloads.stream().filter((p) -> p.startsWith("a")))
				.containsExactlyElementsOf(IntStream.range(0, 500).mapToObj((i) -> "a" + i).toList());
			assertThat(payloads.stream().filter((p) -> p.startsWith("b")))
				.containsExactlyElementsOf(IntStream.range(0, 500).mapToObj((i) -> "b" + i).toList());
		}
	}

	@Test
	void aNodeHoldsInRedisOnlyTheChannelsItsClientsHold() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn conn = new RecordingConn();
		Client client = b.connect(conn);
		b.hub.subscribe(client, "news");
		awaitSubscribed("news", 1);
		assertThat(b.broadcaster.subscribedChannels()).containsExactly("news");
		assertThat(a.broadcaster.subscribedChannels()).isEmpty();
		b.hub.unsubscribe(client, "news");
		awaitSubscribed("news", 0);
		assertThat(b.broadcaster.subscribedChannels()).isEmpty();
		RecordingConn barrier = subscribe(b, "barrier");
		awaitSubscribed("barrier", 1);
		a.broadcaster.publish(new Event("news", "n", "after"));
		// a publishes in order on one connection: once the barrier is back, "after" went nowhere.
		a.broadcaster.publish(new Event("barrier", "n", "passed"));
		await().atMost(Duration.ofSeconds(5)).until(() -> barrier.payloads("n").size() == 1);
		b.hub.subscribe(client, "news");
		awaitSubscribed("news", 1);
		a.broadcaster.publish(new Event("news", "n", "again"));
		await().atMost(Duration.ofSeconds(5)).until(() -> conn.payloads("n").contains("again"));
		assertThat(conn.payloads("n")).containsExactly("again");
	}

	@Test
	void broadcastExceptSkipsTheSocketWhicheverNodeItIsOn() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn sender = new RecordingConn();
		Client senderClient = b.connect(sender);
		b.hub.subscribe(senderClient, "room");
		RecordingConn peerOnB = subscribe(b, "room");
		RecordingConn peerOnA = subscribe(a, "room");
		awaitSubscribed("room", 2);
		a.broadcaster.publish(new Event("room", "client-typing", "x", senderClient.id()));
		a.broadcaster.publish(new Event("room", "marker", "done"));
		await().atMost(Duration.ofSeconds(5)).until(() -> sender.payloads("marker").size() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> peerOnB.payloads("client-typing").size() == 1);
		assertThat(peerOnA.payloads("client-typing")).containsExactly("x");
		assertThat(sender.payloads("client-typing")).isEmpty();
	}

	@Test
	void sendToUserAndTerminateReachTheUserOnAnotherNode() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn tab1 = new RecordingConn();
		RecordingConn tab2 = new RecordingConn();
		RecordingConn otherUser = new RecordingConn();
		b.hub.signIn(b.connect(tab1), "u1");
		a.hub.signIn(a.connect(tab2), "u1");
		b.hub.signIn(b.connect(otherUser), "u2");
		awaitSubscribed("#server-to-user-u1", 2);
		a.broadcaster.publish(new Event("#server-to-user-u1", "notice", "hello"));
		await().atMost(Duration.ofSeconds(5)).until(() -> tab1.payloads("notice").size() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> tab2.payloads("notice").size() == 1);
		a.broadcaster.terminateUserConnections("u1");
		await().atMost(Duration.ofSeconds(5)).until(() -> tab1.closed() != null && tab2.closed() != null);
		assertThat(tab1.closed()).isEqualTo(CloseReason.TERMINATED);
		assertThat(otherUser.closed()).isNull();
		assertThat(otherUser.payloads("notice")).isEmpty();
	}

	@Test
	void heldChannelsKeepTheirEventsInOrderUntilReleased() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onB = subscribe(b, "held");
		RecordingConn barrier = subscribe(b, "barrier");
		awaitSubscribed("held", 1);
		awaitSubscribed("barrier", 1);
		EventHolds.Hold hold = b.broadcaster.hold("held");
		a.broadcaster.publish(new Event("held", "e", "1"));
		a.broadcaster.publish(new Event("held", "e", "2"));
		a.broadcaster.publish(new Event("barrier", "e", "passed"));
		await().atMost(Duration.ofSeconds(5)).until(() -> barrier.payloads("e").size() == 1);
		assertThat(onB.payloads("e")).isEmpty();
		hold.release();
		hold.release();
		a.broadcaster.publish(new Event("held", "e", "3"));
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").size() == 3);
		assertThat(onB.payloads("e")).containsExactly("1", "2", "3");
	}

	/**
	 * Joins that overlap without end must not keep a channel shut: an event waits only for
	 * the holds taken before it arrived (those joins may not have seen it in their roster).
	 */
	@Test
	void overlappingHoldsKeepBackOnlyWhatArrivedWhileAnEarlierHoldWasUp() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onB = subscribe(b, "held");
		RecordingConn barrier = subscribe(b, "barrier");
		awaitSubscribed("held", 1);
		awaitSubscribed("barrier", 1);
		EventHolds.Hold first = b.broadcaster.hold("held");
		a.broadcaster.publish(new Event("held", "e", "1"));
		a.broadcaster.publish(new Event("barrier", "e", "b1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> barrier.payloads("e").size() == 1);
		EventHolds.Hold second = b.broadcaster.hold("held");
		a.broadcaster.publish(new Event("held", "e", "2"));
		a.broadcaster.publish(new Event("barrier", "e", "b2"));
		await().atMost(Duration.ofSeconds(5)).until(() -> barrier.payloads("e").size() == 2);
		first.release();
		// "1" arrived before the second hold: the second join's roster already saw it.
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").size() == 1);
		EventHolds.Hold third = b.broadcaster.hold("held");
		second.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").size() == 2);
		a.broadcaster.publish(new Event("held", "e", "3"));
		a.broadcaster.publish(new Event("barrier", "e", "b3"));
		await().atMost(Duration.ofSeconds(5)).until(() -> barrier.payloads("e").size() == 3);
		assertThat(onB.payloads("e")).containsExactly("1", "2");
		third.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").size() == 3);
		assertThat(onB.payloads("e")).containsExactly("1", "2", "3");
		assertThat(b.broadcaster.holdOverflows()).isZero();
	}

	/** Past the bound, held events are let through early and counted, never discarded. */
	@Test
	void aFullHoldLetsItsOldestEventsThroughAndCountsThem() {
		TestNode a = node("a");
		TestNode b = node("b");
		// A broadcaster subscription (buffer 16,384) rather than a connection (outbox 4,096):
		// the release delivers the 10,000 held events at once.
		List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		b.broadcaster.subscribe("held", (event) -> received.add(event.payload()));
		awaitSubscribed("held", 1);
		EventHolds.Hold hold = b.broadcaster.hold("held");
		int total = RedisBroadcaster.MAX_HELD_EVENTS + 500;
		List<String> expected = IntStream.range(0, total).mapToObj(Integer::toString).toList();
		for (String payload : expected) {
			a.broadcaster.publish(new Event("held", "e", payload));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> b.broadcaster.holdOverflows() == 500);
		await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 500);
		hold.release();
		await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == total);
		assertThat(received).containsExactlyElementsOf(expected);
		assertThat(b.broadcaster.health().holdOverflows()).isEqualTo(500);
		assertThat(b.broadcaster.dropped()).isZero();
	}

	/**
	 * Holds taken and given up from many threads on a few names, with acquires and releases
	 * of one name often landing in one burst of the subscribe thread: no channel stays
	 * tracked afterwards, and every wait for a subscription ends with Redis subscribed.
	 */
	@Test
	void interleavedAcquiresAndReleasesLeaveNothingBehindAndEveryWaitEndsSubscribed() throws Exception {
		TestNode a = node("a");
		List<String> names = IntStream.range(0, 24).mapToObj((i) -> "churn-" + i).toList();
		AtomicInteger notSubscribed = new AtomicInteger();
		AtomicInteger timedOut = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			workers.add(pool.submit(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int i = 0; i < 150; i++) {
					String channel = names.get(random.nextInt(names.size()));
					CompletableFuture<Void> subscribed = a.broadcaster.acquire(channel);
					if (random.nextBoolean()) {
						try {
							subscribed.get(3, TimeUnit.SECONDS);
							String redisChannel = keys().channel(channel);
							if (subscribers(redisChannel) != 1) {
								notSubscribed.incrementAndGet();
							}
						}
						catch (Exception ex) {
							timedOut.incrementAndGet();
						}
					}
					a.broadcaster.release(channel);
				}
				// A burst of unique names acquired and released at once: nothing may stay.
				for (int i = 0; i < 100; i++) {
					String channel = "once-" + UUID.randomUUID();
					a.broadcaster.acquire(channel);
					a.broadcaster.release(channel);
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(timedOut).hasValue(0);
		assertThat(notSubscribed).hasValue(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> a.broadcaster.trackedChannels() == 0);
		assertThat(a.broadcaster.subscribedChannels()).isEmpty();
		for (String channel : names) {
			awaitSubscribed(channel, 0);
		}
		// A later hold waits for a SUBSCRIBE of its own.
		String channel = names.get(0);
		CompletableFuture<Void> again = a.broadcaster.acquire(channel);
		again.get(5, TimeUnit.SECONDS);
		String redisChannel = keys().channel(channel);
		assertThat(subscribers(redisChannel)).isEqualTo(1);
		a.broadcaster.release(channel);
	}

	@Test
	void garbageOnTheRedisChannelIsSkipped() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onB = subscribe(b, "feed");
		awaitSubscribed("feed", 1);
		String redisChannel = keys().channel("feed");
		publishRaw(redisChannel, "not an envelope");
		publishRaw(redisChannel, "1E3:ab");
		publishRaw(redisChannel, "1E0:0:999999:x");
		publishRaw(redisChannel, "");
		a.broadcaster.publish(new Event("feed", "ok", "still works"));
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("ok").size() == 1);
		assertThat(b.broadcaster.malformed()).isEqualTo(4);
		assertThat(onB.frames()).filteredOn((frame) -> frame.startsWith("event|")).hasSize(1);
	}

	@Test
	void killedRedisConnectionsComeBackAndResubscribe() {
		TestNode a = node("a");
		TestNode b = node("b");
		RecordingConn onB = subscribe(b, "live");
		awaitSubscribed("live", 1);
		a.broadcaster.publish(new Event("live", "e", "before"));
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").size() == 1);
		long killed = killConnectionsOf(b);
		// Pub/sub, publishing and commands; on a cluster, to each primary they use.
		assertThat(killed).isGreaterThanOrEqualTo(3);
		// Publishing while b is away never blocks, and b's own clients still get its events.
		b.broadcaster.publish(new Event("live", "e", "local while away"));
		await().atMost(Duration.ofSeconds(10)).until(() -> b.broadcaster.health().reconnects() >= 3);
		awaitSubscribed("live", 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			a.broadcaster.publish(new Event("live", "probe", "p"));
			return !onB.payloads("probe").isEmpty();
		});
		a.broadcaster.publish(new Event("live", "e", "after"));
		await().atMost(Duration.ofSeconds(5)).until(() -> onB.payloads("e").contains("after"));
		assertThat(onB.payloads("e")).containsSubsequence("before", "local while away", "after");
		assertThat(b.broadcaster.health().up()).isTrue();
	}

	@Test
	void withRedisUnreachableLocalDeliveryWorksAndHealthIsDown() {
		RedisClusterConfig config = RedisClusterConfig.builder()
			.keyPrefix(this.prefix)
			.nodeId("lonely")
			.commandTimeout(Duration.ofMillis(200))
			.build();
		try (RedisConnections connections = new RedisConnections(RedisURI.create("redis://127.0.0.1:1"), config);
				RedisBroadcaster broadcaster = new RedisBroadcaster(connections)) {
			List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
			broadcaster.subscribeAll((event) -> received.add(event.payload()));
			connections.start();
			long started = System.nanoTime();
			for (int i = 0; i < 100; i++) {
				broadcaster.publish(new Event("x", "e", Integer.toString(i)));
			}
			// Nothing blocks on the unreachable Redis: blocking would take 100 x the 200 ms command
			// timeout; the bound is a quarter of that, so a loaded machine cannot trip it.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 100);
			await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.remoteDropped() == 100);
			RedisBroadcasterHealth health = broadcaster.health();
			assertThat(health.up()).isFalse();
			assertThat(health.lastError()).isNotNull();
		}
	}

	private RecordingConn subscribe(TestNode node, String channel) {
		RecordingConn conn = new RecordingConn();
		node.hub.subscribe(node.connect(conn), channel);
		return conn;
	}

	/** Wait until as many nodes are subscribed to the channel in Redis. */
	private void awaitSubscribed(String channel, long nodes) {
		String redisChannel = keys().channel(channel);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> subscribers(redisChannel) == nodes);
	}

}
