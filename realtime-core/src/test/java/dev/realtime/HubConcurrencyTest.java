package dev.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static dev.realtime.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliberate races on the {@link Hub}: many threads subscribing, leaving, broadcasting and
 * disconnecting at once, then exact counts, no leaked channels and consistent rosters.
 */
class HubConcurrencyTest {

	private static final int THREADS = 4;

	private static final List<String> CHANNELS = List.of("public-a", "public-b", "presence-x", "presence-y",
			"private-z");

	private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4", "u5");

	private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	/**
	 * Every thread owns some connections and does random joins, leaves, broadcasts and
	 * removals. Afterwards the hub's counts match the clients' own view, rosters hold
	 * exactly the users with a subscribed connection, an observer saw balanced
	 * member_added/member_removed frames, the presence listener saw balanced events, and
	 * once everyone has left no channel is left behind.
	 */
	@RepeatedTest(10)
	void randomJoinsLeavesBroadcastsAndRemovals() throws Exception {
		Hub hub = new Hub(HubConfig.builder()
			.channelFrames(new TestFrames())
			.outboxCapacity(1 << 16)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_MESSAGE)
			.build());
		try {
			List<PresenceEvent> events = new CopyOnWriteArrayList<>();
			hub.onPresence(events::add);
			RecordingConn observerConn = new RecordingConn();
			Client observer = hub.add(observerConn);
			for (String channel : CHANNELS) {
				hub.subscribe(observer, channel, new Member("observer", "{}"));
			}
			Set<Client> alive = ConcurrentHashMap.newKeySet();
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				work.add(this.pool.submit(() -> {
					awaitLatch(start);
					ThreadLocalRandom random = ThreadLocalRandom.current();
					List<Client> mine = new ArrayList<>();
					for (int i = 0; i < 600; i++) {
						int action = random.nextInt(10);
						if (mine.isEmpty() || action == 0) {
							Client client = hub.add(new RecordingConn());
							mine.add(client);
							alive.add(client);
						}
						Client client = mine.get(random.nextInt(mine.size()));
						String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
						if (action <= 4) {
							Member member = new Member(USERS.get(random.nextInt(USERS.size())), "{}");
							// A connection keeps one identity, as a real one has one user.
							Member existing = client.member(channel);
							hub.subscribe(client, channel, (existing != null) ? existing : memberOf(client, member));
						}
						else if (action <= 6) {
							hub.unsubscribe(client, channel);
						}
						else if (action <= 8) {
							hub.broadcast(channel, Frame.text("m"));
						}
						else {
							hub.remove(client);
							mine.remove(client);
							alive.remove(client);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : work) {
				future.get(60, TimeUnit.SECONDS);
			}
			alive.add(observer);
			assertThat(hub.count()).isEqualTo(alive.size());
			for (String channel : CHANNELS) {
				List<Client> subscribed = alive.stream().filter((client) -> client.isSubscribed(channel)).toList();
				assertThat(hub.channelCount(channel)).as(channel).isEqualTo(subscribed.size());
				if (ChannelType.classify(channel).isPresence()) {
					Set<String> users = new HashSet<>();
					subscribed.forEach((client) -> users.add(client.member(channel).id()));
					assertThat(hub.presence(channel)).extracting(Member::id)
						.as(channel)
						.doesNotHaveDuplicates()
						.containsExactlyInAnyOrderElementsOf(users);
				}
			}
			for (Client client : alive) {
				if (client != observer) {
					hub.remove(client);
				}
			}
			assertThat(hub.count()).isEqualTo(1);
			assertThat(hub.channels()).containsExactlyInAnyOrderElementsOf(CHANNELS);
			for (String channel : CHANNELS) {
				assertThat(hub.channelCount(channel)).isEqualTo(1);
				if (ChannelType.classify(channel).isPresence()) {
					assertThat(hub.presence(channel)).extracting(Member::id).containsExactly("observer");
				}
			}
			hub.sendTo(observer.id(), Frame.text("end"));
			await().until(() -> observerConn.texts().contains("end"));
			assertThat(observer.dropped()).isZero();
			assertBalanced(observerConn.texts());
			hub.remove(observer);
			assertThat(hub.count()).isZero();
			assertThat(hub.channels()).isEmpty();
			assertListenerBalanced(events);
		}
		finally {
			hub.close();
		}
	}

	/**
	 * Subscribing races with the removal of the same client: whichever wins, no channel or
	 * roster entry is left behind (the re-check in the hub's join).
	 */
	@Test
	void subscribeRacingWithRemoveLeaksNothing() throws Exception {
		try (Hub hub = new Hub()) {
			for (int round = 0; round < 2_000; round++) {
				Client client = hub.add(new RecordingConn());
				String channel = (round % 2 == 0) ? "public-" + round : "presence-" + round;
				CountDownLatch start = new CountDownLatch(1);
				Future<Joined> joining = this.pool.submit(() -> {
					awaitLatch(start);
					return hub.subscribe(client, channel, new Member("u", "{}"));
				});
				Future<?> removing = this.pool.submit(() -> {
					awaitLatch(start);
					hub.remove(client);
				});
				start.countDown();
				Joined joined = joining.get(10, TimeUnit.SECONDS);
				removing.get(10, TimeUnit.SECONDS);
				assertThat(joined).isIn(Joined.SUBSCRIBED, Joined.CLIENT_CLOSED);
				assertThat(hub.channels()).as("round %d, %s", round, joined).isEmpty();
				assertThat(hub.presence(channel)).isEmpty();
				assertThat(hub.count()).isZero();
			}
		}
	}

	/**
	 * Many threads subscribe the same connection to the same channel: it joins once.
	 */
	@RepeatedTest(5)
	void concurrentDuplicateSubscribesJoinOnce() throws Exception {
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(new TestFrames()).build())) {
			RecordingConn observerConn = new RecordingConn();
			hub.subscribe(hub.add(observerConn), "presence-x", new Member("observer", "{}"));
			Client client = hub.add(new RecordingConn());
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Joined>> outcomes = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				outcomes.add(this.pool.submit(() -> {
					awaitLatch(start);
					return hub.subscribe(client, "presence-x", new Member("u", "{}"));
				}));
			}
			start.countDown();
			List<Joined> joined = new ArrayList<>();
			for (Future<Joined> outcome : outcomes) {
				joined.add(outcome.get(10, TimeUnit.SECONDS));
			}
			assertThat(joined).containsOnlyOnce(Joined.SUBSCRIBED);
			assertThat(joined).filteredOn((j) -> j == Joined.ALREADY_SUBSCRIBED).hasSize(THREADS - 1);
			assertThat(hub.channelCount("presence-x")).isEqualTo(2);
			await().until(() -> observerConn.frames().size() == 2);
			assertThat(observerConn.texts()).containsExactly(TestFrames.subscribed("presence-x", "observer"),
					"added:presence-x:u");
		}
	}

	/**
	 * Presence churn on one channel with a large roster: threads join, leave and replace
	 * connections (some users with several) while others broadcast. Every connection's
	 * frames replay consistently: its confirmation comes first, each member_added is for
	 * someone not yet in its roster and each member_removed for someone in it, and for
	 * those still subscribed at the end the replayed roster is the hub's.
	 */
	@RepeatedTest(10)
	void presenceChurnKeepsEveryConnectionsViewConsistent() throws Exception {
		presenceChurn(HubConfig.builder());
	}

	/**
	 * The same with writers running on the threads that queue (an inline executor): a
	 * joiner's writer then takes its confirmation while the join still holds it, and must
	 * keep it aside, unencoded, until the join lets go.
	 */
	@RepeatedTest(5)
	void presenceChurnWithInlineWritersKeepsEveryConnectionsViewConsistent() throws Exception {
		presenceChurn(HubConfig.builder().writerExecutor(Runnable::run));
	}

	private void presenceChurn(HubConfig.Builder builder) throws Exception {
		String room = "presence-churn";
		try (Hub hub = new Hub(builder
			.channelFrames(new TestFrames())
			.maxPresenceMembers(1_000)
			.outboxCapacity(1 << 16)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_MESSAGE)
			.build())) {
			Map<Client, RecordingConn> conns = new ConcurrentHashMap<>();
			for (int i = 0; i < 200; i++) {
				RecordingConn conn = new RecordingConn();
				Client resident = hub.add(conn);
				conns.put(resident, conn);
				hub.subscribe(resident, room, new Member("r" + i, "{}"));
			}
			Set<Client> alive = ConcurrentHashMap.newKeySet();
			alive.addAll(conns.keySet());
			Map<Client, Member> identities = new ConcurrentHashMap<>();
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				boolean broadcaster = t == 0;
				work.add(this.pool.submit(() -> {
					awaitLatch(start);
					ThreadLocalRandom random = ThreadLocalRandom.current();
					List<Client> mine = new ArrayList<>();
					for (int i = 0; i < 400; i++) {
						if (broadcaster) {
							hub.broadcast(room, Frame.text("b"));
							continue;
						}
						int action = random.nextInt(10);
						if (mine.size() < 8 || action == 0) {
							RecordingConn conn = new RecordingConn();
							Client client = hub.add(conn);
							conns.put(client, conn);
							identities.put(client, new Member("c" + random.nextInt(12), "{}"));
							mine.add(client);
							alive.add(client);
						}
						Client client = mine.get(random.nextInt(mine.size()));
						if (action <= 5) {
							hub.subscribe(client, room, identities.get(client));
						}
						else if (action <= 8) {
							hub.unsubscribe(client, room);
						}
						else {
							hub.remove(client);
							mine.remove(client);
							alive.remove(client);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : work) {
				future.get(60, TimeUnit.SECONDS);
			}
			for (Client client : alive) {
				hub.sendTo(client.id(), Frame.text("end"));
			}
			for (Client client : alive) {
				RecordingConn conn = conns.get(client);
				await().until(() -> conn.texts().contains("end"));
			}
			assertThat(hub.dropped()).isZero();
			Set<String> users = new HashSet<>();
			for (Member member : hub.presence(room)) {
				users.add(member.id());
			}
			Set<String> subscribedUsers = new HashSet<>();
			for (Map.Entry<Client, RecordingConn> entry : conns.entrySet()) {
				Client client = entry.getKey();
				Set<String> view = replay(client, room, entry.getValue().texts());
				if (alive.contains(client) && client.isSubscribed(room)) {
					subscribedUsers.add(client.member(room).id());
					assertThat(view).as("%s's view of the roster", client).isEqualTo(users);
				}
			}
			assertThat(users).isEqualTo(subscribedUsers);
		}
	}

	/**
	 * Replay what a connection was sent on a presence channel, checking each frame against
	 * the roster so far; each confirmation starts over (the connection left and came back).
	 * @return the roster after the last frame
	 */
	private static Set<String> replay(Client client, String channel, List<String> texts) {
		String subscribed = "subscribed:" + channel + ":";
		Set<String> roster = null;
		for (int i = 0; i < texts.size(); i++) {
			String text = texts.get(i);
			String where = client + " frame " + i + " " + text;
			if (text.startsWith(subscribed)) {
				String ids = text.substring(subscribed.length() + 1, text.length() - 1);
				List<String> listed = List.of(ids.split(","));
				roster = new HashSet<>(listed);
				assertThat(roster).as(where).hasSameSizeAs(listed);
			}
			else if (text.equals("end")) {
				continue;
			}
			else {
				assertThat(roster).as("%s: before the confirmation", where).isNotNull();
				if (text.startsWith("added:")) {
					assertThat(roster.add(text.substring(text.lastIndexOf(':') + 1))).as(where).isTrue();
				}
				else if (text.startsWith("removed:")) {
					assertThat(roster.remove(text.substring(text.lastIndexOf(':') + 1))).as(where).isTrue();
				}
				else {
					assertThat(text).as(where).isEqualTo("b");
				}
			}
		}
		return (roster != null) ? roster : Set.of();
	}

	/**
	 * One publisher, connections joining and leaving meanwhile: each connection sees the
	 * publisher's frames in order, and one that stays subscribed throughout sees them all.
	 */
	@RepeatedTest(5)
	void perClientOrderHoldsForASinglePublisher() throws Exception {
		try (Hub hub = new Hub(HubConfig.builder()
			.outboxCapacity(1 << 14)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_MESSAGE)
			.build())) {
			int frames = 5_000;
			List<RecordingConn> steady = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				RecordingConn conn = new RecordingConn();
				steady.add(conn);
				hub.subscribe(hub.add(conn), "c");
			}
			List<RecordingConn> churning = new ArrayList<>();
			List<Client> churningClients = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				RecordingConn conn = new RecordingConn();
				churning.add(conn);
				churningClients.add(hub.add(conn));
			}
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch published = new CountDownLatch(1);
			Future<?> publisher = this.pool.submit(() -> {
				awaitLatch(start);
				for (int i = 0; i < frames; i++) {
					hub.broadcast("c", Frame.text(Integer.toString(i)));
				}
				published.countDown();
				return null;
			});
			List<Future<?>> churners = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				int offset = t;
				churners.add(this.pool.submit(() -> {
					awaitLatch(start);
					int i = 0;
					while (published.getCount() > 0) {
						Client client = churningClients.get((2 * i++ + offset) % churningClients.size());
						if (!hub.unsubscribe(client, "c")) {
							hub.subscribe(client, "c");
						}
					}
					return null;
				}));
			}
			start.countDown();
			publisher.get(30, TimeUnit.SECONDS);
			for (Future<?> churner : churners) {
				churner.get(30, TimeUnit.SECONDS);
			}
			for (RecordingConn conn : steady) {
				await().until(() -> conn.frames().size() == frames);
				assertThat(sequence(conn)).isSorted().doesNotHaveDuplicates().hasSize(frames);
			}
			assertThat(hub.dropped()).isZero();
			for (RecordingConn conn : churning) {
				assertThat(sequence(conn)).isSorted().doesNotHaveDuplicates();
			}
		}
	}

	/**
	 * {@link Hub#disconnect} while the writer is busy: the client is closed with the
	 * reason asked for, after its queued frames.
	 */
	@Test
	void disconnectWhileWritingClosesWithTheGivenReason() throws Exception {
		try (Hub hub = new Hub()) {
			for (int round = 0; round < 500; round++) {
				RecordingConn conn = new RecordingConn();
				Client client = hub.add(conn);
				for (int i = 0; i < 3; i++) {
					hub.sendTo(client.id(), Frame.text(Integer.toString(i)));
				}
				hub.disconnect(client, CloseReason.TERMINATED);
				await().until(conn::isClosed);
				assertThat(conn.closes()).as("round %d", round).containsExactly(CloseReason.TERMINATED);
				assertThat(conn.texts()).containsExactly("0", "1", "2");
			}
			await().until(() -> hub.count() == 0);
		}
	}

	/**
	 * The server disconnects a client while its transport closes by itself: the client is
	 * forgotten once, its channels are left, and the transport is closed at most once.
	 */
	@Test
	void disconnectRacingWithRemove() throws Exception {
		// The observer gets three frames a round for a thousand rounds: an outbox that holds
		// them all, so a writer that falls behind on a busy machine drops nothing.
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(new TestFrames()).outboxCapacity(4096).build())) {
			RecordingConn observerConn = new RecordingConn();
			Client observer = hub.add(observerConn);
			hub.subscribe(observer, "presence-x", new Member("observer", "{}"));
			int rounds = 1_000;
			for (int round = 0; round < rounds; round++) {
				RecordingConn conn = new RecordingConn();
				Client client = hub.add(conn);
				hub.subscribe(client, "presence-x", new Member("u" + round, "{}"));
				hub.broadcast("presence-x", Frame.text("m"));
				CountDownLatch start = new CountDownLatch(1);
				Future<?> disconnecting = this.pool.submit(() -> {
					awaitLatch(start);
					hub.disconnect(client, CloseReason.TERMINATED);
				});
				Future<?> removing = this.pool.submit(() -> {
					awaitLatch(start);
					hub.remove(client);
				});
				start.countDown();
				disconnecting.get(10, TimeUnit.SECONDS);
				removing.get(10, TimeUnit.SECONDS);
				// forget() drops the client from the registry before it leaves its channels
				// (on whichever thread closed it), so wait for the whole of it.
				await().until(() -> hub.count() == 1 && hub.channelCount("presence-x") == 1
						&& hub.presence("presence-x").size() == 1);
				assertThat(conn.closes()).hasSizeLessThanOrEqualTo(1);
				assertThat(hub.presence("presence-x")).extracting(Member::id).containsExactly("observer");
			}
			hub.sendTo(observer.id(), Frame.text("end"));
			await().until(() -> observerConn.texts().contains("end"));
			assertThat(observer.dropped()).isZero();
			assertBalanced(observerConn.texts());
			assertThat(observerConn.texts()).filteredOn((text) -> text.startsWith("removed:")).hasSize(rounds);
		}
	}

	/**
	 * {@link Hub#close()} races with adds, joins and broadcasts: every connection that was
	 * added is closed exactly once, and callers only ever see {@link HubClosedException}.
	 */
	@RepeatedTest(5)
	void closeRacingWithEverythingElse() throws Exception {
		Hub hub = new Hub(HubConfig.builder().shutdownTimeout(Duration.ofSeconds(5)).build());
		List<RecordingConn> added = new CopyOnWriteArrayList<>();
		List<Throwable> unexpected = new CopyOnWriteArrayList<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < THREADS - 1; t++) {
			work.add(this.pool.submit(() -> {
				awaitLatch(start);
				try {
					for (int i = 0; !hub.isClosed() || i < 10; i++) {
						RecordingConn conn = new RecordingConn();
						Client client = hub.add(conn);
						added.add(conn);
						hub.subscribe(client, "c" + (i % 3));
						hub.broadcast("c" + (i % 3), Frame.text("m"));
					}
				}
				catch (HubClosedException expected) {
					// The only failure a caller may see.
				}
				catch (Throwable ex) {
					unexpected.add(ex);
				}
				return null;
			}));
		}
		start.countDown();
		Thread.sleep(20);
		hub.close();
		for (Future<?> future : work) {
			future.get(30, TimeUnit.SECONDS);
		}
		assertThat(unexpected).isEmpty();
		assertThat(added).isNotEmpty();
		for (RecordingConn conn : added) {
			assertThat(conn.closes()).containsExactly(CloseReason.GOING_AWAY);
		}
	}

	/** The member of a connection: the one it joined as elsewhere, if any, so it has one identity. */
	private static Member memberOf(Client client, Member fallback) {
		for (String channel : client.channels()) {
			Member member = client.member(channel);
			if (member != null) {
				return member;
			}
		}
		return fallback;
	}

	/** For every channel and user, the observer's added/removed frames alternate, starting with added. */
	private static void assertBalanced(List<String> texts) {
		Map<String, Integer> present = new HashMap<>();
		for (String text : texts) {
			if (text.startsWith("added:") || text.startsWith("removed:")) {
				String key = text.substring(text.indexOf(':') + 1);
				int delta = text.startsWith("added:") ? 1 : -1;
				int now = present.merge(key, delta, Integer::sum);
				assertThat(now).as("%s after %s", key, text).isBetween(0, 1);
			}
		}
		// Everyone but the observer has left.
		assertThat(present.values()).containsOnly(0);
	}

	private static void assertListenerBalanced(List<PresenceEvent> events) {
		Map<String, Integer> present = new HashMap<>();
		for (PresenceEvent event : events) {
			String key = event.channel() + ":" + event.member().id();
			int now = present.merge(key, event.joined() ? 1 : -1, Integer::sum);
			assertThat(now).as("listener: %s after %s", key, event).isBetween(0, 1);
		}
		// Everyone has left, the observer last.
		assertThat(present).allSatisfy((key, value) -> assertThat(value).as(key).isZero());
	}

	private static List<Integer> sequence(RecordingConn conn) {
		return conn.frames().stream().map((frame) -> Integer.parseInt(frame.text())).toList();
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
