package dev.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub's seams for running as one node of a cluster: channel lifecycle events and a
 * {@link PresenceDirectory} deciding presence.
 */
class HubClusterSeamsTest {

	private static final ChannelFrames FRAMES = new ChannelFrames() {

		@Override
		public Frame subscribed(String channel, @Nullable Collection<Member> roster) {
			String ids = (roster != null) ? roster.stream().map(Member::id).collect(Collectors.joining(",")) : "";
			return Frame.text("subscribed:" + channel + ":" + ids);
		}

		@Override
		public Frame memberAdded(String channel, Member member) {
			return Frame.text("added:" + member.id());
		}

		@Override
		public Frame memberRemoved(String channel, Member member) {
			return Frame.text("removed:" + member.id());
		}

	};

	private final List<Hub> hubs = new ArrayList<>();

	@AfterEach
	void close() {
		this.hubs.forEach(Hub::close);
	}

	@Test
	void channelListenersAreToldWhenAChannelGetsItsFirstAndLosesItsLastSubscriber() {
		Hub hub = hub(HubConfig.builder());
		List<String> lifecycle = new CopyOnWriteArrayList<>();
		hub.onChannelLifecycle(new ChannelListener() {

			@Override
			public void occupied(String channel) {
				lifecycle.add("+" + channel);
			}

			@Override
			public void vacated(String channel) {
				lifecycle.add("-" + channel);
			}

		});
		Client one = hub.add(new Recording());
		Client two = hub.add(new Recording());
		hub.subscribe(one, "news");
		hub.subscribe(two, "news");
		hub.subscribe(one, "news");
		hub.signIn(two, "u1");
		hub.unsubscribe(one, "news");
		assertThat(lifecycle).containsExactly("+news", "+#server-to-user-u1");
		hub.remove(two);
		assertThat(lifecycle).hasSize(4);
		assertThat(lifecycle.subList(2, 4)).containsExactlyInAnyOrder("-news", "-#server-to-user-u1");
	}

	@Test
	void aPresenceDirectoryDecidesTheRosterAndTheAnnouncements() {
		FakeDirectory directory = new FakeDirectory();
		directory.roster = List.of(new Member("remote", "{}"), new Member("alice", "{}"));
		Hub hub = hub(HubConfig.builder().presenceDirectory(directory));
		Recording aliceConn = new Recording();
		Recording bobConn = new Recording();
		Client alice = hub.add(aliceConn);
		Client bob = hub.add(bobConn);
		assertThat(hub.subscribe(alice, "presence-room", new Member("alice", "{}"))).isEqualTo(Joined.SUBSCRIBED);
		directory.roster = List.of(new Member("remote", "{}"), new Member("alice", "{}"), new Member("bob", "{}"));
		hub.subscribe(bob, "presence-room", new Member("bob", "{}"));
		hub.unsubscribe(bob, "presence-room");
		await().atMost(Duration.ofSeconds(5)).until(() -> bobConn.frames.size() == 1 && aliceConn.frames.size() == 1);
		assertThat(aliceConn.frames).containsExactly("subscribed:presence-room:remote,alice");
		assertThat(bobConn.frames).containsExactly("subscribed:presence-room:remote,alice,bob");
		assertThat(directory.calls).containsExactly("join presence-room alice " + alice.id(),
				"joined presence-room " + alice.id(), "join presence-room bob " + bob.id(),
				"joined presence-room " + bob.id(), "leave presence-room bob " + bob.id());
		// The hub still keeps its own roster of this node's members.
		assertThat(hub.presence("presence-room")).extracting(Member::id).containsExactly("alice");
	}

	@Test
	void aPresenceDirectoryTellsWatchersWhoIsOnlineAndCountsTheUsersOwnConnectionsOnly() {
		FakeDirectory directory = new FakeDirectory();
		directory.observed = List.of(new Member("bob", "null"));
		directory.roster = List.of(new Member("ann", "null"));
		Hub hub = hub(HubConfig.builder().presenceDirectory(directory));
		Recording annConn = new Recording();
		Client ann = hub.add(annConn);
		hub.signIn(ann, "ann");
		hub.goOnline(ann);
		assertThat(hub.watch(ann, List.of("bob"))).isEqualTo(1);
		directory.observed = null;
		// Carl is offline as far as this node knows, and the directory cannot answer.
		assertThat(hub.watch(ann, List.of("carl"))).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> annConn.frames.size() == 2);
		// No confirmation of its own online channel; the watched users' rosters.
		assertThat(annConn.frames).containsExactly("subscribed:#user-online-bob:bob", "subscribed:#user-online-carl:");
		hub.remove(ann);
		assertThat(directory.calls).containsExactly("join #user-online-ann ann " + ann.id(),
				"joined #user-online-ann " + ann.id(), "observe #user-online-bob " + ann.id(),
				"joined #user-online-bob " + ann.id(), "observe #user-online-carl " + ann.id(),
				"joined #user-online-carl " + ann.id(), "leave #user-online-ann ann " + ann.id());
	}

	@Test
	void whenTheDirectoryCannotAnswerTheHubFallsBackToItsOwnRoster() {
		FakeDirectory directory = new FakeDirectory();
		directory.roster = null;
		directory.announces = false;
		Hub hub = hub(HubConfig.builder().presenceDirectory(directory));
		Recording aliceConn = new Recording();
		Client alice = hub.add(aliceConn);
		Client bob = hub.add(new Recording());
		hub.subscribe(alice, "presence-room", new Member("alice", "{}"));
		hub.subscribe(bob, "presence-room", new Member("bob", "{}"));
		hub.unsubscribe(bob, "presence-room");
		await().atMost(Duration.ofSeconds(5)).until(() -> aliceConn.frames.size() == 3);
		assertThat(aliceConn.frames).containsExactly("subscribed:presence-room:alice", "added:bob", "removed:bob");
	}

	/**
	 * A cluster broadcaster says when a channel is live on this node; until then the
	 * newcomer's confirmation, and what follows it, waits in its outbox (no thread waits).
	 */
	@Test
	void aConfirmationWaitsUntilTheChannelListenerSaysTheChannelIsLive() {
		Hub hub = hub(HubConfig.builder());
		Map<String, CompletableFuture<Void>> live = new ConcurrentHashMap<>();
		hub.onChannelLifecycle(new ChannelListener() {

			@Override
			public void occupied(String channel) {
			}

			@Override
			public void vacated(String channel) {
			}

			@Override
			public CompletionStage<?> whenLive(String channel) {
				return live.computeIfAbsent(channel, (key) -> new CompletableFuture<>());
			}

		});
		Recording conn = new Recording();
		Client client = hub.add(conn);
		assertThat(hub.subscribe(client, "news")).isEqualTo(Joined.SUBSCRIBED);
		hub.broadcast("news", Frame.text("first"));
		hub.sendTo(client.id(), Frame.text("direct"));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(conn.frames::isEmpty);
		live.get("news").complete(null);
		await().atMost(Duration.ofSeconds(5)).until(() -> conn.frames.size() == 3);
		assertThat(conn.frames).containsExactly("subscribed:news:", "first", "direct");
	}

	@Test
	void aJoinThatDoesNotHappenIsTakenBackFromTheDirectory() {
		FakeDirectory directory = new FakeDirectory();
		directory.roster = List.of(new Member("alice", "{}"));
		Hub hub = hub(HubConfig.builder().presenceDirectory(directory).maxPresenceMembers(1));
		hub.subscribe(hub.add(new Recording()), "presence-room", new Member("alice", "{}"));
		Client bob = hub.add(new Recording());
		assertThat(hub.subscribe(bob, "presence-room", new Member("bob", "{}"))).isEqualTo(Joined.PRESENCE_FULL);
		assertThat(directory.calls).endsWith("join presence-room bob " + bob.id(), "joined presence-room " + bob.id(),
				"leave presence-room bob " + bob.id());
	}

	@Test
	void localChannelStatsAnswerFromTheHubLeavingOutServerToUserChannels() {
		Hub hub = hub(HubConfig.builder());
		Client one = hub.add(new Recording());
		Client two = hub.add(new Recording());
		hub.subscribe(one, "news");
		hub.subscribe(two, "news");
		hub.subscribe(one, "presence-room", new Member("alice", "{}"));
		hub.signIn(two, "u1");
		ChannelStats stats = ChannelStats.of(hub);
		assertThat(stats.subscriptionCount("news")).isEqualTo(2);
		assertThat(stats.occupiedChannels()).containsExactly(Map.entry("news", 2),
				Map.entry("presence-room", 1));
		assertThat(stats.users("presence-room")).containsExactly("alice");
		assertThat(stats.users("news")).isEmpty();
	}

	/**
	 * At shutdown the channels are torn down in one pass rather than left one subscriber at
	 * a time; the directory and the listeners must still hear every leave.
	 */
	@Test
	void closeTellsTheDirectoryAndTheListenersAboutEveryLeave() {
		FakeDirectory directory = new FakeDirectory();
		directory.roster = null;
		Hub hub = hub(HubConfig.builder().presenceDirectory(directory));
		List<String> heard = new CopyOnWriteArrayList<>();
		hub.onPresence((event) -> heard.add((event.joined() ? "+" : "-") + event.member().id()));
		hub.onChannelLifecycle(new ChannelListener() {

			@Override
			public void occupied(String channel) {
			}

			@Override
			public void vacated(String channel) {
				heard.add("vacated " + channel);
			}

		});
		Client ann = hub.add(new Recording());
		Client annAgain = hub.add(new Recording());
		Client bob = hub.add(new Recording());
		hub.subscribe(ann, "presence-room", new Member("ann", "{}"));
		hub.subscribe(annAgain, "presence-room", new Member("ann", "{}"));
		hub.subscribe(bob, "presence-room", new Member("bob", "{}"));
		hub.subscribe(bob, "news");
		heard.clear();
		directory.calls.clear();

		hub.close();

		assertThat(directory.calls).containsExactlyInAnyOrder("leave presence-room ann " + ann.id(),
				"leave presence-room ann " + annAgain.id(), "leave presence-room bob " + bob.id());
		assertThat(heard).containsExactlyInAnyOrder("-ann", "-bob", "vacated presence-room", "vacated news");
	}

	private Hub hub(HubConfig.Builder builder) {
		Hub hub = new Hub(builder.channelFrames(FRAMES).build());
		this.hubs.add(hub);
		return hub;
	}

	private static final class FakeDirectory implements PresenceDirectory {

		final List<String> calls = new CopyOnWriteArrayList<>();

		volatile @Nullable List<Member> roster;

		volatile @Nullable List<Member> observed;

		volatile boolean announces = true;

		@Override
		public @Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers) {
			this.calls.add("join " + channel + " " + member.id() + " " + socketId);
			return this.roster;
		}

		@Override
		public @Nullable List<Member> observe(String channel, String socketId) {
			this.calls.add("observe " + channel + " " + socketId);
			return this.observed;
		}

		@Override
		public void joined(String channel, String socketId) {
			this.calls.add("joined " + channel + " " + socketId);
		}

		@Override
		public boolean leave(String channel, Member member, String socketId) {
			this.calls.add("leave " + channel + " " + member.id() + " " + socketId);
			return this.announces;
		}

	}

	private static final class Recording implements Conn {

		final List<String> frames = new CopyOnWriteArrayList<>();

		@Override
		public void sendAll(List<Frame> batch) {
			batch.forEach((frame) -> this.frames.add(frame.text()));
		}

		@Override
		public void close(CloseReason reason) {
		}

	}

}
