package dev.realtime;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.realtime.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the confirmation of presence joins: its roster is taken when the join takes
 * effect but encoded by the newcomer's writer, outside the channel's lock.
 */
class PresenceConfirmationTest {

	private static final String ROOM = "presence-room";

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	/**
	 * While alice's roster is being encoded, bob joins the same channel from another
	 * thread. Encoded under the channel's lock, bob's join would wait for the encoder, which
	 * waits for bob: it must not.
	 */
	@Test
	void theRosterIsEncodedWithoutTheChannelsLock() throws Exception {
		AtomicReference<@Nullable Hub> hubRef = new AtomicReference<>();
		AtomicBoolean first = new AtomicBoolean(true);
		AtomicReference<@Nullable Object> joinedWhileEncoding = new AtomicReference<>();
		AtomicReference<@Nullable Thread> encodedOn = new AtomicReference<>();
		ChannelFrames frames = new Delegating() {
			@Override
			public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
				if (roster != null && first.compareAndSet(true, false)) {
					encodedOn.set(Thread.currentThread());
					Hub hub = hubRef.get();
					Future<Joined> bob = PresenceConfirmationTest.this.pool
						.submit(() -> hub.subscribe(hub.add(new RecordingConn()), ROOM, new Member("bob", "{}")));
					try {
						joinedWhileEncoding.set(bob.get(2, TimeUnit.SECONDS));
					}
					catch (TimeoutException ex) {
						joinedWhileEncoding.set("blocked by the encoder");
					}
					catch (Exception ex) {
						joinedWhileEncoding.set(ex);
					}
				}
				return super.subscribed(channel, roster);
			}
		};
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(frames).build())) {
			hubRef.set(hub);
			RecordingConn alice = new RecordingConn();
			assertThat(hub.subscribe(hub.add(alice), ROOM, new Member("alice", "{}"))).isEqualTo(Joined.SUBSCRIBED);
			await().until(() -> joinedWhileEncoding.get() != null);
			assertThat(joinedWhileEncoding.get()).isEqualTo(Joined.SUBSCRIBED);
			// Encoded by the joining thread once the lock is released, not by the writer
			// (which may be an event loop serving other connections).
			assertThat(encodedOn.get()).isSameAs(Thread.currentThread());
			// The roster is alice's as her join took effect; bob comes after it.
			await().until(() -> alice.frames().size() == 2);
			assertThat(alice.texts()).containsExactly(TestFrames.subscribed(ROOM, "alice"), "added:" + ROOM + ":bob");
		}
	}

	/**
	 * Alice's writer is busy when she joins, so her confirmation is sent only after bob
	 * and carol joined and bob left: it still carries the roster of her join, and the
	 * member events that follow it bring it up to date.
	 */
	@Test
	void theRosterIsTheOneOfTheJoinHoweverLateItIsSent() throws Exception {
		List<String> encoded = new CopyOnWriteArrayList<>();
		ChannelFrames frames = new Delegating() {
			@Override
			public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
				Frame frame = super.subscribed(channel, roster);
				encoded.add(frame.text());
				return frame;
			}
		};
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(frames).build())) {
			BlockingConn alice = new BlockingConn();
			Client aliceClient = hub.add(alice);
			hub.sendTo(aliceClient.id(), Frame.text("before"));
			assertThat(alice.awaitWriteStarted()).isTrue();
			hub.subscribe(aliceClient, ROOM, new Member("alice", "{}"));
			// Encoded by the join, queued behind the write in progress.
			assertThat(encoded).containsExactly(TestFrames.subscribed(ROOM, "alice"));
			Client bob = hub.add(new RecordingConn());
			hub.subscribe(bob, ROOM, new Member("bob", "{}"));
			hub.subscribe(hub.add(new RecordingConn()), ROOM, new Member("carol", "{}"));
			hub.unsubscribe(bob, ROOM);
			await().until(() -> encoded.size() == 3);
			alice.release();
			await().until(() -> alice.frames().size() == 5);
			assertThat(alice.frames()).extracting(Frame::text)
				.containsExactly("before", TestFrames.subscribed(ROOM, "alice"), "added:" + ROOM + ":bob",
						"added:" + ROOM + ":carol", "removed:" + ROOM + ":bob");
			assertThat(encoded).hasSize(3);
		}
	}

	/**
	 * An encoder that fails, or sends nothing, on the writer costs the newcomer its
	 * confirmation only: its writer goes on with what follows.
	 */
	@Test
	void aConfirmationThatFailsToEncodeIsSkippedAndTheWriterGoesOn() {
		AtomicBoolean fail = new AtomicBoolean(true);
		ChannelFrames frames = new Delegating() {
			@Override
			public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
				if (roster != null && roster.size() == 1) {
					if (fail.get()) {
						throw new IllegalStateException("encoder bug");
					}
					return null;
				}
				return super.subscribed(channel, roster);
			}
		};
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(frames).build())) {
			RecordingConn alice = new RecordingConn();
			assertThat(hub.subscribe(hub.add(alice), ROOM, new Member("alice", "{}"))).isEqualTo(Joined.SUBSCRIBED);
			RecordingConn bob = new RecordingConn();
			hub.subscribe(hub.add(bob), ROOM, new Member("bob", "{}"));
			hub.broadcast(ROOM, Frame.text("m"));
			await().until(() -> alice.frames().size() == 2 && bob.frames().size() == 2);
			assertThat(alice.texts()).containsExactly("added:" + ROOM + ":bob", "m");
			assertThat(bob.texts()).containsExactly(TestFrames.subscribed(ROOM, "alice", "bob"), "m");
			fail.set(false);
			RecordingConn carol = new RecordingConn();
			hub.subscribe(hub.add(carol), "presence-other", new Member("carol", "{}"));
			hub.broadcast("presence-other", Frame.text("n"));
			await().until(() -> carol.frames().size() == 1);
			assertThat(carol.texts()).containsExactly("n");
		}
	}

	@Test
	void aRosterSnapshotDoesNotChangeWithLaterJoins() {
		try (Hub hub = new Hub(HubConfig.builder().channelFrames(new TestFrames()).build())) {
			hub.subscribe(hub.add(new RecordingConn()), ROOM, new Member("alice", "{}"));
			List<Member> snapshot = hub.presence(ROOM);
			Client bob = hub.add(new RecordingConn());
			hub.subscribe(bob, ROOM, new Member("bob", "{}"));
			assertThat(snapshot).extracting(Member::id).containsExactly("alice");
			assertThat(hub.presence(ROOM)).extracting(Member::id).containsExactly("alice", "bob");
			hub.unsubscribe(bob, ROOM);
			assertThat(hub.presence(ROOM)).extracting(Member::id).containsExactly("alice");
		}
	}

	/** {@link TestFrames}, for encoders that change one thing. */
	private static class Delegating implements ChannelFrames {

		private final TestFrames frames = new TestFrames();

		@Override
		public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
			return this.frames.subscribed(channel, roster);
		}

		@Override
		public @Nullable Frame memberAdded(String channel, Member member) {
			return this.frames.memberAdded(channel, member);
		}

		@Override
		public @Nullable Frame memberRemoved(String channel, Member member) {
			return this.frames.memberRemoved(channel, member);
		}

	}

}
