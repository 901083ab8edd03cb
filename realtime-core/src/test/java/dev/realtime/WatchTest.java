package dev.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static dev.realtime.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for users going online and watching other users ({@link Hub#goOnline},
 * {@link Hub#watch}) on a hub without a presence directory.
 */
class WatchTest {

	private final Hub hub = new Hub(HubConfig.builder().channelFrames(new TestFrames()).build());

	private final List<PresenceEvent> events = new CopyOnWriteArrayList<>();

	WatchTest() {
		this.hub.onPresence(this.events::add);
	}

	@AfterEach
	void close() {
		this.hub.close();
	}

	@Test
	void aWatcherIsToldWhoIsOnlineThenEachTransitionOnce() {
		Client ann = signedIn(new RecordingConn(), "ann");
		this.hub.goOnline(ann);
		RecordingConn watcher = new RecordingConn();
		Client watching = signedIn(watcher, "wendy");
		assertThat(this.hub.watch(watching, List.of("ann", "bob"))).isEqualTo(2);
		// Bob's first tab comes online, then a second tab: one transition.
		Client bobPhone = signedIn(new RecordingConn(), "bob");
		this.hub.goOnline(bobPhone);
		Client bobLaptop = signedIn(new RecordingConn(), "bob");
		this.hub.goOnline(bobLaptop);
		// Ann closes her only tab; Bob closes one of two, then the other.
		this.hub.remove(ann);
		this.hub.remove(bobPhone);
		this.hub.remove(bobLaptop);
		await().until(() -> watcher.frames().size() == 5);
		assertThat(watcher.texts()).containsExactly(TestFrames.subscribed("#user-online-ann", "ann"),
				"subscribed:#user-online-bob:[]", "added:#user-online-bob:bob", "removed:#user-online-ann:ann",
				"removed:#user-online-bob:bob");
	}

	@Test
	void internalChannelsAreHiddenFromChannelCountsAndPresenceListeners() {
		Client ann = signedIn(new RecordingConn(), "ann");
		this.hub.goOnline(ann);
		this.hub.watch(ann, List.of("bob", "carl", "ann"));
		this.hub.subscribe(ann, "news");
		assertThat(ann.channelCount()).isEqualTo(1);
		assertThat(ann.channels()).containsExactlyInAnyOrder("news", "#server-to-user-ann", "#user-online-ann",
				"#user-online-bob", "#user-online-carl");
		assertThat(ChannelStats.of(this.hub).occupiedChannels()).containsOnlyKeys("news");
		assertThat(this.events).isEmpty();
		this.hub.remove(ann);
		await().until(() -> this.hub.channels().isEmpty());
		assertThat(this.events).isEmpty();
	}

	@Test
	void watchingTwiceOrOneselfChangesNothing() {
		RecordingConn conn = new RecordingConn();
		Client client = signedIn(conn, "ann");
		assertThat(this.hub.watch(client, List.of("bob", "bob", "ann"))).isEqualTo(1);
		assertThat(this.hub.watch(client, List.of("bob"))).isZero();
		await().until(() -> conn.frames().size() == 1);
		assertThat(conn.texts()).containsExactly("subscribed:#user-online-bob:[]");
	}

	@Test
	void goingOnlineNeedsASignIn() {
		Client client = this.hub.add(new RecordingConn());
		assertThatIllegalStateException().isThrownBy(() -> this.hub.goOnline(client));
	}

	@RepeatedTest(20)
	void racingTabsOfOneUserMakeOneTransitionEachWay() throws Exception {
		RecordingConn watcher = new RecordingConn();
		this.hub.watch(signedIn(watcher, "wendy"), List.of("bob"));
		int tabs = 8;
		ExecutorService pool = Executors.newFixedThreadPool(tabs);
		try {
			List<Client> clients = new ArrayList<>();
			for (int i = 0; i < tabs; i++) {
				clients.add(signedIn(new RecordingConn(), "bob"));
			}
			race(pool, clients, this.hub::goOnline);
			race(pool, clients, this.hub::remove);
		}
		finally {
			pool.shutdownNow();
		}
		await().until(() -> watcher.frames().size() == 3);
		assertThat(watcher.texts()).containsExactly("subscribed:#user-online-bob:[]",
				"added:#user-online-bob:bob", "removed:#user-online-bob:bob");
	}

	private Client signedIn(RecordingConn conn, String userId) {
		Client client = this.hub.add(conn);
		this.hub.signIn(client, userId);
		return client;
	}

	private static void race(ExecutorService pool, List<Client> clients, Consumer<Client> action)
			throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(clients.size());
		for (Client client : clients) {
			pool.execute(() -> {
				try {
					start.await();
					action.accept(client);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					done.countDown();
				}
			});
		}
		start.countDown();
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
	}

}
