package dev.realtime;

import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.params.ParameterizedTest;

import java.util.concurrent.CopyOnWriteArrayList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static dev.realtime.Waits.await;

/**
 * Tests for {@link Hub}: connections, subscriptions, sending and closing.
 */
class HubTest {

	private final Hub hub = new Hub(HubConfig.builder().channelFrames(new TestFrames()).build());

	@AfterEach
	void close() {
		this.hub.close();
	}

	@Test
	void addGivesEachConnectionItsOwnSocketId() {
		Client first = this.hub.add(new RecordingConn());
		Client second = this.hub.add(new RecordingConn());
		assertThat(first.id()).matches("^\\d+\\.\\d+$").isNotEqualTo(second.id());
		assertThat(this.hub.count()).isEqualTo(2);
		assertThat(this.hub.client(first.id())).isSameAs(first);
		assertThat(first.isOpen()).isTrue();
	}

	/**
	 * A client that reacts to its confirmation (here: publishes at once, on the writer
	 * thread) must receive what it triggered. With writers run inline, a confirmation sent
	 * before the channel map shows the subscriber would lose the event every time.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "news", "presence-room" })
	void aClientThatReactsToItsConfirmationGetsWhatItTriggered(String channel) {
		try (Hub inline = new Hub(HubConfig.builder().channelFrames(new TestFrames()).writerExecutor(Runnable::run).build())) {
			List<String> received = new CopyOnWriteArrayList<>();
			Conn reacting = new Conn() {

				@Override
				public void sendAll(List<Frame> frames) {
					for (Frame frame : frames) {
						received.add(frame.text());
						if (frame.text().startsWith("subscribed:")) {
							inline.broadcast(channel, Frame.text("triggered"));
						}
					}
				}

				@Override
				public void close(CloseReason reason) {
				}

			};
			Client first = inline.add(reacting);
			inline.subscribe(first, channel, new Member("ann", "{}"));
			Client second = inline.add(new RecordingConn());
			inline.subscribe(second, "other", new Member("bob", "{}"));
			inline.subscribe(first, "other");
			assertThat(received).containsExactly(
					channel.startsWith("presence-") ? TestFrames.subscribed(channel, "ann") : TestFrames.subscribed(channel),
					"triggered", TestFrames.subscribed("other"), "triggered");
		}
	}

	@Test
	void addFailsWhenTheSocketIdGeneratorRepeats() {
		try (Hub repeating = new Hub(HubConfig.builder().socketIds(() -> "1.1").build())) {
			repeating.add(new RecordingConn());
			assertThatIllegalStateException().isThrownBy(() -> repeating.add(new RecordingConn()));
			assertThat(repeating.count()).isEqualTo(1);
		}
	}

	@Test
	void removeLeavesEveryChannelAndIsIdempotent() {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, "a");
		this.hub.subscribe(client, "b");
		this.hub.remove(client);
		this.hub.remove(client);
		assertThat(this.hub.count()).isZero();
		assertThat(this.hub.channels()).isEmpty();
		assertThat(client.isOpen()).isFalse();
		assertThat(client.channels()).isEmpty();
		assertThat(this.hub.client(client.id())).isNull();
		// The transport closed itself: the hub does not close it again.
		assertThat(conn.closes()).isEmpty();
		assertThat(this.hub.broadcast("a", Frame.text("x"))).isZero();
	}

	@Test
	void subscribeQueuesTheConfirmationAndCreatesTheChannel() {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		assertThat(this.hub.channels()).isEmpty();
		assertThat(this.hub.subscribe(client, "news")).isEqualTo(Joined.SUBSCRIBED);
		assertThat(this.hub.channels()).containsExactly("news");
		assertThat(this.hub.channelCount("news")).isEqualTo(1);
		assertThat(client.isSubscribed("news")).isTrue();
		assertThat(client.channels()).containsExactly("news");
		await().until(() -> conn.texts().equals(List.of(TestFrames.subscribed("news"))));
	}

	@Test
	void subscribingTwiceConfirmsAgainAndChangesNothing() {
		RecordingConn conn = new RecordingConn();
		RecordingConn other = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.subscribe(this.hub.add(other), "presence-room", new Member("u2", "{}"));
		Member member = new Member("u1", "{}");
		assertThat(this.hub.subscribe(client, "presence-room", member)).isEqualTo(Joined.SUBSCRIBED);
		assertThat(this.hub.subscribe(client, "presence-room", member)).isEqualTo(Joined.ALREADY_SUBSCRIBED);
		assertThat(this.hub.channelCount("presence-room")).isEqualTo(2);
		assertThat(this.hub.presence("presence-room")).extracting(Member::id).containsExactly("u2", "u1");
		String confirmation = TestFrames.subscribed("presence-room", "u2", "u1");
		await().until(() -> conn.texts().size() == 2);
		assertThat(conn.texts()).containsExactly(confirmation, confirmation);
		// The other member heard of u1 once.
		await().until(() -> other.texts().size() == 2);
		assertThat(other.texts()).containsExactly(TestFrames.subscribed("presence-room", "u2"), "added:presence-room:u1");
		// A single leave takes the client out.
		assertThat(this.hub.unsubscribe(client, "presence-room")).isTrue();
		assertThat(this.hub.channelCount("presence-room")).isEqualTo(1);
		assertThat(this.hub.presence("presence-room")).extracting(Member::id).containsExactly("u2");
	}

	@Test
	void unsubscribeIsIdempotentAndRemovesTheChannelWithItsLastSubscriber() {
		Client first = this.hub.add(new RecordingConn());
		Client second = this.hub.add(new RecordingConn());
		this.hub.subscribe(first, "c");
		this.hub.subscribe(second, "c");
		assertThat(this.hub.unsubscribe(first, "c")).isTrue();
		assertThat(this.hub.unsubscribe(first, "c")).isFalse();
		assertThat(this.hub.channels()).containsExactly("c");
		assertThat(this.hub.channelCount("c")).isEqualTo(1);
		assertThat(this.hub.unsubscribe(second, "c")).isTrue();
		assertThat(this.hub.channels()).isEmpty();
		assertThat(this.hub.channelCount("c")).isZero();
		assertThat(this.hub.unsubscribe(second, "never-joined")).isFalse();
		assertThat(this.hub.channels()).isEmpty();
		assertThat(first.channels()).isEmpty();
	}

	@Test
	void invalidChannelNamesAreRefusedWithoutSideEffects() {
		Client client = this.hub.add(new RecordingConn());
		assertThatExceptionOfType(InvalidChannelException.class).isThrownBy(() -> this.hub.subscribe(client, ""));
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.hub.subscribe(client, "x".repeat(165)));
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.hub.subscribe(client, "bad channel"));
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.hub.subscribe(client, "bad/channel"));
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.hub.subscribe(client, "#server-to-user-42"));
		assertThat(this.hub.channels()).isEmpty();
		assertThat(client.channels()).isEmpty();
		assertThat(this.hub.subscribe(client, "x".repeat(164))).isEqualTo(Joined.SUBSCRIBED);
	}

	@Test
	void onlyTheSignedInUsersOwnServerToUserChannelCanBeJoined() {
		Client client = this.hub.add(new RecordingConn());
		this.hub.signIn(client, "7");
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.hub.subscribe(client, "#server-to-user-8"));
		assertThat(this.hub.subscribe(client, "#server-to-user-7")).isEqualTo(Joined.ALREADY_SUBSCRIBED);
		assertThat(this.hub.channels()).containsExactly("#server-to-user-7");
	}

	@Test
	void presenceChannelsNeedAMember() {
		Client client = this.hub.add(new RecordingConn());
		assertThatIllegalArgumentException().isThrownBy(() -> this.hub.subscribe(client, "presence-room"));
		assertThat(this.hub.channels()).isEmpty();
	}

	@Test
	void broadcastQueuesTheSameFrameInstanceForEverySubscriberInOrder() {
		List<RecordingConn> conns = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			RecordingConn conn = new RecordingConn();
			conns.add(conn);
			this.hub.subscribe(this.hub.add(conn), "c");
		}
		RecordingConn outsider = new RecordingConn();
		this.hub.subscribe(this.hub.add(outsider), "other");
		Frame first = Frame.text("one");
		Frame second = Frame.text("two");
		assertThat(this.hub.broadcast("c", first)).isEqualTo(5);
		assertThat(this.hub.broadcast("c", second)).isEqualTo(5);
		assertThat(this.hub.broadcast("nobody", Frame.text("lost"))).isZero();
		for (RecordingConn conn : conns) {
			await().until(() -> conn.frames().size() == 3);
			assertThat(conn.frames().get(1)).isSameAs(first);
			assertThat(conn.frames().get(2)).isSameAs(second);
		}
		assertThat(this.hub.deliveries()).isEqualTo(10);
		assertThat(outsider.texts()).containsExactly(TestFrames.subscribed("other"));
	}

	@Test
	void broadcastBinaryDeliversThePayload() {
		RecordingConn conn = new RecordingConn();
		this.hub.subscribe(this.hub.add(conn), "c");
		byte[] payload = { 1, 2, 3 };
		assertThat(this.hub.broadcastBinary("c", payload)).isEqualTo(1);
		await().until(() -> conn.frames().size() == 2);
		Frame frame = conn.frames().get(1);
		assertThat(frame.isBinary()).isTrue();
		assertThat(frame.bytes()).isSameAs(payload);
	}

	@Test
	void broadcastExceptSkipsOneClient() {
		RecordingConn senderConn = new RecordingConn();
		RecordingConn otherConn = new RecordingConn();
		Client sender = this.hub.add(senderConn);
		Client other = this.hub.add(otherConn);
		this.hub.subscribe(sender, "c");
		this.hub.subscribe(other, "c");
		assertThat(this.hub.broadcastExcept("c", Frame.text("by client"), sender)).isEqualTo(1);
		assertThat(this.hub.broadcastExcept("c", Frame.text("by socket id"), other.id())).isEqualTo(1);
		assertThat(this.hub.broadcastExcept("c", Frame.text("unknown id"), "9.9")).isEqualTo(2);
		assertThat(this.hub.broadcastExcept("c", Frame.text("nobody skipped"), (Client) null)).isEqualTo(2);
		await().until(() -> senderConn.frames().size() == 4 && otherConn.frames().size() == 4);
		assertThat(senderConn.texts()).containsExactly(TestFrames.subscribed("c"), "by socket id", "unknown id",
				"nobody skipped");
		assertThat(otherConn.texts()).containsExactly(TestFrames.subscribed("c"), "by client", "unknown id",
				"nobody skipped");
	}

	@Test
	void sendToReachesOneConnection() {
		RecordingConn conn = new RecordingConn();
		RecordingConn other = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.add(other);
		assertThat(this.hub.sendTo(client.id(), Frame.text("hi"))).isTrue();
		assertThat(this.hub.sendTo("1.404", Frame.text("hi"))).isFalse();
		await().until(() -> conn.texts().equals(List.of("hi")));
		assertThat(other.frames()).isEmpty();
		this.hub.remove(client);
		assertThat(this.hub.sendTo(client.id(), Frame.text("late"))).isFalse();
	}

	/**
	 * A client told it is signed in may act on it at once (the back end terminates the
	 * user's connections, or sends to the user): the confirmation must not reach it before
	 * the hub shows it as the user's. With writers run inline, sending the confirmation
	 * first, then signing in, would miss it every time.
	 */
	@Test
	void aClientThatReactsToItsSignInConfirmationIsAlreadyTheUsers() {
		try (Hub inline = new Hub(HubConfig.builder().channelFrames(new TestFrames()).writerExecutor(Runnable::run).build())) {
			List<String> received = new CopyOnWriteArrayList<>();
			List<Integer> reached = new CopyOnWriteArrayList<>();
			Conn reacting = new Conn() {

				@Override
				public void sendAll(List<Frame> frames) {
					for (Frame frame : frames) {
						received.add(frame.text());
						if (frame.text().equals("signed-in")) {
							reached.add(inline.sendToUser("ann", Frame.text("for ann")));
						}
					}
				}

				@Override
				public void close(CloseReason reason) {
				}

			};
			Client client = inline.add(reacting);
			inline.signIn(client, "ann", Frame.text("signed-in"));
			assertThat(reached).containsExactly(1);
			assertThat(received).containsExactly("signed-in", "for ann");
			// Signing in again as the same user confirms again and changes nothing.
			inline.signIn(client, "ann", Frame.text("signed-in"));
			assertThat(reached).containsExactly(1, 1);
			assertThat(inline.channelCount("#server-to-user-ann")).isEqualTo(1);
		}
	}

	@Test
	void signInSendToUserAndDisconnectUser() {
		RecordingConn phone = new RecordingConn();
		RecordingConn laptop = new RecordingConn();
		RecordingConn stranger = new RecordingConn();
		Client phoneClient = this.hub.add(phone);
		Client laptopClient = this.hub.add(laptop);
		Client strangerClient = this.hub.add(stranger);
		this.hub.signIn(phoneClient, "alice");
		this.hub.signIn(laptopClient, "alice");
		this.hub.signIn(strangerClient, "bob");
		this.hub.signIn(phoneClient, "alice");
		assertThat(phoneClient.userId()).isEqualTo("alice");
		assertThatIllegalStateException().isThrownBy(() -> this.hub.signIn(phoneClient, "bob"));
		assertThat(this.hub.channelCount("#server-to-user-alice")).isEqualTo(2);
		assertThat(this.hub.sendToUser("alice", Frame.text("for alice"))).isEqualTo(2);
		assertThat(this.hub.sendToUser("nobody", Frame.text("lost"))).isZero();
		assertThat(this.hub.disconnectUser("alice", CloseReason.TERMINATED)).isEqualTo(2);
		assertThat(this.hub.disconnectUser("nobody", CloseReason.TERMINATED)).isZero();
		await().until(() -> phone.isClosed() && laptop.isClosed());
		// Sign-in sends no confirmation; queued frames are flushed before the close.
		assertThat(phone.texts()).containsExactly("for alice");
		assertThat(laptop.texts()).containsExactly("for alice");
		assertThat(phone.closes()).containsExactly(CloseReason.TERMINATED);
		assertThat(laptop.closes()).containsExactly(CloseReason.TERMINATED);
		await().until(() -> this.hub.count() == 1 && this.hub.channels().size() == 1);
		assertThat(this.hub.channels()).containsExactly("#server-to-user-bob");
		assertThat(stranger.isClosed()).isFalse();
		assertThat(stranger.frames()).isEmpty();
	}

	@Test
	void disconnectFlushesThenClosesAndForgetsTheClient() {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, "c");
		this.hub.broadcast("c", Frame.text("last words"));
		this.hub.disconnect(client, CloseReason.TERMINATED);
		assertThat(client.isOpen()).isFalse();
		assertThat(this.hub.broadcast("c", Frame.text("too late"))).isZero();
		await().until(conn::isClosed);
		assertThat(conn.texts()).containsExactly(TestFrames.subscribed("c"), "last words");
		assertThat(conn.closes()).containsExactly(CloseReason.TERMINATED);
		await().until(() -> this.hub.count() == 0 && this.hub.channels().isEmpty());
		assertThat(this.hub.subscribe(client, "d")).isEqualTo(Joined.CLIENT_CLOSED);
		assertThat(this.hub.channels()).isEmpty();
	}

	@Test
	void aFailingWriteClosesAndForgetsTheClient() {
		Conn failing = new Conn() {
			@Override
			public void sendAll(List<Frame> frames) throws java.io.IOException {
				throw new java.io.IOException("broken pipe");
			}

			@Override
			public void close(CloseReason reason) {
			}
		};
		Client client = this.hub.add(failing);
		this.hub.subscribe(client, "c");
		await().until(() -> this.hub.count() == 0 && this.hub.channels().isEmpty());
		assertThat(client.isOpen()).isFalse();
	}

	@Test
	void framesQueuedWhileAWriteIsInProgressGoOutInOneBatch() throws Exception {
		BlockingConn conn = new BlockingConn();
		Client client = this.hub.add(conn);
		this.hub.sendTo(client.id(), Frame.text("0"));
		assertThat(conn.awaitWriteStarted()).isTrue();
		for (int i = 1; i <= 5; i++) {
			this.hub.sendTo(client.id(), Frame.text(Integer.toString(i)));
		}
		assertThat(client.pending()).isEqualTo(5);
		conn.release();
		await().until(() -> conn.frames().size() == 6);
		assertThat(conn.frames()).extracting(Frame::text).containsExactly("0", "1", "2", "3", "4", "5");
		assertThat(conn.batchSizes()).containsExactly(1, 5);
	}

	@Test
	void batchesAreCappedAtFramesPerWrite() throws Exception {
		try (Hub small = new Hub(HubConfig.builder().framesPerWrite(2).build())) {
			BlockingConn conn = new BlockingConn();
			Client client = small.add(conn);
			small.sendTo(client.id(), Frame.text("0"));
			assertThat(conn.awaitWriteStarted()).isTrue();
			for (int i = 1; i <= 5; i++) {
				small.sendTo(client.id(), Frame.text(Integer.toString(i)));
			}
			conn.release();
			await().until(() -> conn.frames().size() == 6);
			assertThat(conn.batchSizes()).containsExactly(1, 2, 2, 1);
			assertThat(conn.frames()).extracting(Frame::text).containsExactly("0", "1", "2", "3", "4", "5");
		}
	}

	@Test
	void oneWriterAtATimePerConnection() throws Exception {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, "c");
		int threads = 4;
		int perThread = 2_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> publishers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < perThread; i++) {
					this.hub.broadcast("c", Frame.text("m"));
					if (i % 32 == 0) {
						Thread.yield();
					}
				}
			});
			thread.start();
			publishers.add(thread);
		}
		start.countDown();
		for (Thread thread : publishers) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		await().until(() -> conn.frames().size() - 1 + client.dropped() == threads * perThread);
		assertThat(conn.sawConcurrentWrite()).isFalse();
	}

	@Test
	void closeFlushesAndClosesEveryClientWithGoingAway() {
		RecordingConn first = new RecordingConn();
		RecordingConn second = new RecordingConn();
		Client client = this.hub.add(first);
		this.hub.subscribe(client, "c");
		this.hub.subscribe(this.hub.add(second), "c");
		this.hub.broadcast("c", Frame.text("bye"));
		this.hub.close();
		assertThat(this.hub.isClosed()).isTrue();
		assertThat(first.texts()).containsExactly(TestFrames.subscribed("c"), "bye");
		assertThat(second.texts()).containsExactly(TestFrames.subscribed("c"), "bye");
		assertThat(first.closes()).containsExactly(CloseReason.GOING_AWAY);
		assertThat(second.closes()).containsExactly(CloseReason.GOING_AWAY);
		assertThat(client.isOpen()).isFalse();
		this.hub.close();
		this.hub.remove(client);
		assertThat(first.closes()).hasSize(1);
	}

	@Test
	void closeDoesNotWaitLongerThanTheShutdownTimeoutForAStuckClient() {
		Hub stuckHub = new Hub(HubConfig.builder().shutdownTimeout(Duration.ofMillis(100)).build());
		BlockingConn stuck = new BlockingConn();
		Client client = stuckHub.add(stuck);
		stuckHub.sendTo(client.id(), Frame.text("never written"));
		org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), stuckHub::close);
		assertThat(stuck.closes()).containsExactly(CloseReason.GOING_AWAY);
		assertThat(stuck.frames()).isEmpty();
	}

	@Test
	void everyCallFailsAfterClose() {
		Client client = this.hub.add(new RecordingConn());
		this.hub.close();
		Frame frame = Frame.text("x");
		List<Runnable> calls = List.of(() -> this.hub.add(new RecordingConn()),
				() -> this.hub.subscribe(client, "c"),
				() -> this.hub.subscribe(client, "presence-c", new Member("1", "{}")),
				() -> this.hub.unsubscribe(client, "c"), () -> this.hub.broadcast("c", frame),
				() -> this.hub.broadcastBinary("c", new byte[0]), () -> this.hub.broadcastExcept("c", frame, client),
				() -> this.hub.broadcastExcept("c", frame, client.id()), () -> this.hub.sendTo(client.id(), frame),
				() -> this.hub.sendToUser("u", frame), () -> this.hub.signIn(client, "u"),
				() -> this.hub.disconnect(client, CloseReason.TERMINATED),
				() -> this.hub.disconnectUser("u", CloseReason.TERMINATED), () -> this.hub.client(client.id()),
				this.hub::count, () -> this.hub.channelCount("c"), this.hub::channels,
				() -> this.hub.presence("presence-c"), () -> this.hub.onPresence((event) -> {
				}));
		for (Runnable call : calls) {
			assertThatExceptionOfType(HubClosedException.class).isThrownBy(call::run)
				.withMessageContaining("closed");
		}
		// Allowed after close.
		this.hub.remove(client);
		this.hub.close();
		assertThat(this.hub.isClosed()).isTrue();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
