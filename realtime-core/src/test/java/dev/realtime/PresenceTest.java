package dev.realtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.realtime.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for presence rosters in the {@link Hub}.
 */
class PresenceTest {

	private static final String ROOM = "presence-room";

	private final Hub hub = new Hub(
			HubConfig.builder().channelFrames(new TestFrames()).maxPresenceMembers(3).build());

	private final List<PresenceEvent> events = new CopyOnWriteArrayList<>();

	PresenceTest() {
		this.hub.onPresence(this.events::add);
	}

	@AfterEach
	void close() {
		this.hub.close();
	}

	@Test
	void newcomerGetsTheRosterAndOthersGetMemberAdded() {
		RecordingConn alice = new RecordingConn();
		RecordingConn bob = new RecordingConn();
		Member aliceMember = new Member("alice", "{\"name\":\"Alice\"}");
		this.hub.subscribe(this.hub.add(alice), ROOM, aliceMember);
		this.hub.subscribe(this.hub.add(bob), ROOM, new Member("bob", "{}"));
		await().until(() -> alice.frames().size() == 2 && bob.frames().size() == 1);
		assertThat(alice.texts()).containsExactly(TestFrames.subscribed(ROOM, "alice"), "added:" + ROOM + ":bob");
		// The joiner hears nothing about itself but its roster, itself included.
		assertThat(bob.texts()).containsExactly(TestFrames.subscribed(ROOM, "alice", "bob"));
		assertThat(this.hub.presence(ROOM)).containsExactly(aliceMember, new Member("bob", "{}"));
		assertThat(this.events).containsExactly(new PresenceEvent(ROOM, true, aliceMember),
				new PresenceEvent(ROOM, true, new Member("bob", "{}")));
	}

	@Test
	void oneUserWithTwoConnectionsIsOneMember() {
		RecordingConn observer = new RecordingConn();
		this.hub.subscribe(this.hub.add(observer), ROOM, new Member("observer", "{}"));
		Member alice = new Member("alice", "{}");
		RecordingConn phone = new RecordingConn();
		RecordingConn laptop = new RecordingConn();
		Client phoneClient = this.hub.add(phone);
		Client laptopClient = this.hub.add(laptop);
		assertThat(this.hub.subscribe(phoneClient, ROOM, alice)).isEqualTo(Joined.SUBSCRIBED);
		assertThat(this.hub.subscribe(laptopClient, ROOM, alice)).isEqualTo(Joined.SUBSCRIBED);
		assertThat(this.hub.channelCount(ROOM)).isEqualTo(3);
		assertThat(this.hub.presence(ROOM)).extracting(Member::id).containsExactly("observer", "alice");
		await().until(() -> laptop.frames().size() == 1);
		assertThat(laptop.texts()).containsExactly(TestFrames.subscribed(ROOM, "observer", "alice"));
		// The phone is told nothing about its own user's second connection.
		await().until(() -> phone.frames().size() == 1);
		this.hub.remove(phoneClient);
		assertThat(this.hub.presence(ROOM)).extracting(Member::id).containsExactly("observer", "alice");
		this.hub.unsubscribe(laptopClient, ROOM);
		assertThat(this.hub.presence(ROOM)).extracting(Member::id).containsExactly("observer");
		await().until(() -> observer.frames().size() == 3);
		assertThat(observer.texts()).containsExactly(TestFrames.subscribed(ROOM, "observer"), "added:" + ROOM + ":alice",
				"removed:" + ROOM + ":alice");
		assertThat(phone.texts()).containsExactly(TestFrames.subscribed(ROOM, "observer", "alice"));
		assertThat(laptop.texts()).containsExactly(TestFrames.subscribed(ROOM, "observer", "alice"));
		assertThat(this.events).extracting(PresenceEvent::joined, (event) -> event.member().id())
			.containsExactly(org.assertj.core.groups.Tuple.tuple(true, "observer"),
					org.assertj.core.groups.Tuple.tuple(true, "alice"),
					org.assertj.core.groups.Tuple.tuple(false, "alice"));
	}

	@Test
	void lastLeaveRemovesThePresenceChannel() {
		Client client = this.hub.add(new RecordingConn());
		this.hub.subscribe(client, ROOM, new Member("alice", "{}"));
		this.hub.remove(client);
		assertThat(this.hub.channels()).isEmpty();
		assertThat(this.hub.presence(ROOM)).isEmpty();
		assertThat(this.events).extracting(PresenceEvent::joined).containsExactly(true, false);
	}

	@Test
	void fullRosterRefusesNewUsersButNotMoreConnectionsOfMembers() {
		for (String user : List.of("a", "b", "c")) {
			assertThat(this.hub.subscribe(this.hub.add(new RecordingConn()), ROOM, new Member(user, "{}")))
				.isEqualTo(Joined.SUBSCRIBED);
		}
		RecordingConn refused = new RecordingConn();
		Client refusedClient = this.hub.add(refused);
		assertThat(this.hub.subscribe(refusedClient, ROOM, new Member("d", "{}"))).isEqualTo(Joined.PRESENCE_FULL);
		assertThat(refusedClient.isSubscribed(ROOM)).isFalse();
		assertThat(this.hub.channelCount(ROOM)).isEqualTo(3);
		assertThat(this.hub.presence(ROOM)).extracting(Member::id).containsExactly("a", "b", "c");
		assertThat(this.hub.subscribe(this.hub.add(new RecordingConn()), ROOM, new Member("a", "{}")))
			.isEqualTo(Joined.SUBSCRIBED);
		assertThat(this.hub.channelCount(ROOM)).isEqualTo(4);
		assertThat(refused.frames()).isEmpty();
	}

	@Test
	void fullRosterOnANewChannelLeavesNoChannelBehind() {
		try (Hub single = new Hub(HubConfig.builder().maxPresenceMembers(1).build())) {
			Client first = single.add(new RecordingConn());
			single.subscribe(first, ROOM, new Member("a", "{}"));
			single.unsubscribe(first, ROOM);
			assertThat(single.channels()).isEmpty();
		}
	}

	@Test
	void aFailingListenerDoesNotBreakTheHubOrOtherListeners() {
		this.hub.onPresence((event) -> {
			throw new IllegalStateException("boom");
		});
		List<PresenceEvent> later = new CopyOnWriteArrayList<>();
		this.hub.onPresence(later::add);
		Client client = this.hub.add(new RecordingConn());
		assertThat(this.hub.subscribe(client, ROOM, new Member("a", "{}"))).isEqualTo(Joined.SUBSCRIBED);
		assertThat(later).hasSize(1);
		assertThat(this.events).hasSize(1);
	}

	/**
	 * The connection that joined leaves (its transport closed) while the listener is still
	 * being told of the join on the joining thread: the listener must still hear the join
	 * before the leave.
	 */
	@Test
	void listenersHearAJoinBeforeTheLeaveThatFollowsIt() throws Exception {
		CountDownLatch inListener = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> heard = new CopyOnWriteArrayList<>();
		this.hub.onPresence((event) -> {
			if (event.joined() && inListener.getCount() > 0) {
				inListener.countDown();
				awaitQuietly(release);
			}
			heard.add((event.joined() ? "added:" : "removed:") + event.member().id());
		});
		Client client = this.hub.add(new RecordingConn());
		Thread joiner = new Thread(() -> this.hub.subscribe(client, ROOM, new Member("alice", "{}")));
		joiner.start();
		assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> this.hub.remove(client));
		release.countDown();
		joiner.join(TimeUnit.SECONDS.toMillis(10));
		await().until(() -> heard.size() == 2);
		assertThat(heard).containsExactly("added:alice", "removed:alice");
		assertThat(this.events).extracting(PresenceEvent::joined).containsExactly(true, false);
	}

	@Test
	void aFailingFrameEncoderLeavesNoHalfMadeChanges() {
		ChannelFrames failing = new ChannelFrames() {
			@Override
			public Frame subscribed(String channel, java.util.@org.jspecify.annotations.Nullable Collection<Member> roster) {
				throw new IllegalStateException("encoder bug");
			}

			@Override
			public Frame memberAdded(String channel, Member member) {
				throw new IllegalStateException("encoder bug");
			}

			@Override
			public Frame memberRemoved(String channel, Member member) {
				throw new IllegalStateException("encoder bug");
			}
		};
		try (Hub failingHub = new Hub(HubConfig.builder().channelFrames(failing).build())) {
			Client alice = failingHub.add(new RecordingConn());
			Client bob = failingHub.add(new RecordingConn());
			assertThat(failingHub.subscribe(alice, ROOM, new Member("alice", "{}"))).isEqualTo(Joined.SUBSCRIBED);
			assertThat(failingHub.subscribe(bob, ROOM, new Member("bob", "{}"))).isEqualTo(Joined.SUBSCRIBED);
			assertThat(failingHub.subscribe(bob, "public")).isEqualTo(Joined.SUBSCRIBED);
			assertThat(failingHub.presence(ROOM)).extracting(Member::id).containsExactly("alice", "bob");
			failingHub.remove(bob);
			assertThat(failingHub.presence(ROOM)).extracting(Member::id).containsExactly("alice");
			assertThat(failingHub.channels()).containsExactly(ROOM);
			failingHub.remove(alice);
			assertThat(failingHub.channels()).isEmpty();
		}
	}

	@Test
	void nonPresenceChannelsIgnoreTheMemberAndHaveNoRoster() {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, "private-x", new Member("a", "{}"));
		assertThat(client.member("private-x")).isNull();
		assertThat(this.hub.presence("private-x")).isEmpty();
		assertThat(this.events).isEmpty();
		await().until(() -> conn.texts().equals(List.of(TestFrames.subscribed("private-x"))));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void presenceCacheChannelsHaveRosters() {
		Client client = this.hub.add(new RecordingConn());
		this.hub.subscribe(client, "presence-cache-x", new Member("a", "{}"));
		assertThat(client.member("presence-cache-x")).isEqualTo(new Member("a", "{}"));
		assertThat(this.hub.presence("presence-cache-x")).extracting(Member::id).containsExactly("a");
	}

}
