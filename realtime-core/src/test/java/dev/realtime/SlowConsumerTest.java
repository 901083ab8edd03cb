package dev.realtime;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.realtime.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for slow and dead consumers: the {@link SlowConsumerPolicy} and the send-timeout
 * watchdog, with a fast consumer on the same channel that must get everything in order.
 */
class SlowConsumerTest {

	private static final int FRAMES = 200;

	private static final int CAPACITY = 8;

	@Test
	void dropMessageCountsAndDropsButKeepsTheConnection() throws Exception {
		try (Hub hub = new Hub(config(SlowConsumerPolicy.DROP_MESSAGE))) {
			BlockingConn slow = new BlockingConn();
			RecordingConn fast = new RecordingConn();
			Client slowClient = hub.add(slow);
			hub.subscribe(slowClient, "c");
			Client fastClient = hub.add(fast);
			hub.subscribe(fastClient, "c");
			hub.broadcast("c", Frame.text("0"));
			assertThat(slow.awaitWriteStarted()).isTrue();
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> publish(hub, fastClient, 1, FRAMES));
			assertThat(slowClient.dropped()).isPositive();
			assertThat(hub.dropped()).isEqualTo(slowClient.dropped());
			assertThat(slowClient.pending()).isEqualTo(CAPACITY);
			assertThat(slowClient.dropped()).isEqualTo(FRAMES - 1 - CAPACITY);
			assertThat(slowClient.isOpen()).isTrue();
			assertThat(hub.slowConsumerDisconnects()).isZero();
			await().until(() -> fast.frames().size() == FRAMES);
			assertThat(fast.frames()).extracting(Frame::text).containsExactlyElementsOf(numbers(FRAMES));

			slow.release();
			await().until(() -> slow.frames().size() + slowClient.dropped() == FRAMES);
			assertThat(slow.frames()).extracting(Frame::text).isSubsetOf(numbers(FRAMES));
			assertThat(sequence(slow.frames())).isSorted().doesNotHaveDuplicates();
			assertThat(slow.closes()).isEmpty();
			assertThat(hub.count()).isEqualTo(2);
			// Still connected: later frames arrive.
			hub.broadcast("c", Frame.text("after"));
			await().until(() -> slow.frames().get(slow.frames().size() - 1).text().equals("after"));
		}
	}

	@Test
	void disconnectClientClosesTheSlowConsumerOnFirstOverflow() throws Exception {
		try (Hub hub = new Hub(config(SlowConsumerPolicy.DISCONNECT_CLIENT))) {
			BlockingConn slow = new BlockingConn();
			RecordingConn fast = new RecordingConn();
			Client slowClient = hub.add(slow);
			hub.subscribe(slowClient, "c");
			Client fastClient = hub.add(fast);
			hub.subscribe(fastClient, "c");
			hub.broadcast("c", Frame.text("0"));
			assertThat(slow.awaitWriteStarted()).isTrue();
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> publish(hub, fastClient, 1, FRAMES));
			await().until(() -> !slow.closes().isEmpty());
			assertThat(slow.closes()).containsExactly(CloseReason.SLOW_CONSUMER);
			assertThat(CloseReason.SLOW_CONSUMER.code()).isEqualTo(4100);
			assertThat(slowClient.isOpen()).isFalse();
			assertThat(slowClient.dropped()).isEqualTo(1);
			assertThat(hub.slowConsumerDisconnects()).isEqualTo(1);
			await().until(() -> hub.count() == 1 && hub.channelCount("c") == 1);
			await().until(() -> fast.frames().size() == FRAMES);
			assertThat(fast.frames()).extracting(Frame::text).containsExactlyElementsOf(numbers(FRAMES));
			assertThat(fast.closes()).isEmpty();
		}
	}

	@Test
	void aDeadConnectionNeverBlocksThePublisherOrOtherSubscribers() throws Exception {
		for (SlowConsumerPolicy policy : SlowConsumerPolicy.values()) {
			try (Hub hub = new Hub(config(policy))) {
				BlockingConn dead = new BlockingConn();
				RecordingConn alive = new RecordingConn();
				hub.subscribe(hub.add(dead), "c");
				Client aliveClient = hub.add(alive);
				hub.subscribe(aliveClient, "c");
				int frames = 5_000;
				assertTimeoutPreemptively(Duration.ofSeconds(20), () -> publish(hub, aliveClient, 0, frames),
						policy::name);
				await().until(() -> alive.frames().size() == frames);
				assertThat(sequence(alive.frames())).isSorted().doesNotHaveDuplicates();
				assertThat(dead.frames()).isEmpty();
				assertThat(hub.dropped()).isPositive();
				if (policy == SlowConsumerPolicy.DISCONNECT_CLIENT) {
					await().until(() -> dead.closes().equals(List.of(CloseReason.SLOW_CONSUMER)));
				}
			}
		}
	}

	@Test
	void watchdogClosesAConnectionWhoseWriteIsStuck() throws Exception {
		try (Hub hub = new Hub(HubConfig.builder().sendTimeout(Duration.ofMillis(200)).build())) {
			BlockingConn stuck = new BlockingConn();
			RecordingConn fine = new RecordingConn();
			Client stuckClient = hub.add(stuck);
			hub.subscribe(stuckClient, "c");
			hub.subscribe(hub.add(fine), "c");
			hub.broadcast("c", Frame.text("x"));
			assertThat(stuck.awaitWriteStarted()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> !stuck.closes().isEmpty());
			assertThat(stuck.closes()).containsExactly(CloseReason.SEND_TIMEOUT);
			assertThat(stuckClient.isOpen()).isFalse();
			await().until(() -> hub.count() == 1 && hub.channelCount("c") == 1);
			assertThat(fine.closes()).isEmpty();
			await().until(() -> fine.frames().size() == 1);
		}
	}

	@Test
	void theWatchdogSurvivesAFailureWhileClosingAClient() throws Exception {
		ChannelFrames failingOnLeave = new ChannelFrames() {
			@Override
			public Frame memberRemoved(String channel, Member member) {
				throw new IllegalStateException("encoder bug");
			}
		};
		try (Hub hub = new Hub(HubConfig.builder()
			.sendTimeout(Duration.ofMillis(200))
			.channelFrames(failingOnLeave)
			.shutdownTimeout(Duration.ofMillis(100))
			.build())) {
			BlockingConn first = new BlockingConn();
			Client firstClient = hub.add(first);
			hub.subscribe(firstClient, "presence-x", new Member("a", "{}"));
			hub.subscribe(hub.add(new RecordingConn()), "presence-x", new Member("b", "{}"));
			hub.sendTo(firstClient.id(), Frame.text("x"));
			await().until(() -> !first.closes().isEmpty());
			BlockingConn second = new BlockingConn();
			Client secondClient = hub.add(second);
			hub.sendTo(secondClient.id(), Frame.text("y"));
			await().until(() -> second.closes().equals(List.of(CloseReason.SEND_TIMEOUT)));
		}
	}

	@Test
	void theWatchdogLeavesSlowButProgressingWritersAlone() throws Exception {
		try (Hub hub = new Hub(HubConfig.builder().sendTimeout(Duration.ofMillis(300)).build())) {
			RecordingConn steady = new RecordingConn() {
				@Override
				public void sendAll(List<Frame> batch) {
					sleep(10);
					super.sendAll(batch);
				}
			};
			Client client = hub.add(steady);
			for (int i = 0; i < 40; i++) {
				hub.sendTo(client.id(), Frame.text(Integer.toString(i)));
				sleep(10);
			}
			await().until(() -> steady.frames().size() == 40);
			assertThat(steady.closes()).isEmpty();
			assertThat(client.isOpen()).isTrue();
		}
	}

	/**
	 * Broadcast numbered frames from one thread, pacing on the fast client so that only the
	 * slow one can overflow.
	 */
	private static void publish(Hub hub, Client fast, int from, int to) {
		for (int i = from; i < to; i++) {
			while (fast.pending() >= CAPACITY / 2 && fast.isOpen()) {
				Thread.onSpinWait();
			}
			hub.broadcast("c", Frame.text(Integer.toString(i)));
		}
	}

	private static HubConfig config(SlowConsumerPolicy policy) {
		return HubConfig.builder()
			.slowConsumerPolicy(policy)
			.outboxCapacity(CAPACITY)
			.sendTimeout(Duration.ZERO)
			.shutdownTimeout(Duration.ofMillis(200))
			.build();
	}

	private static List<String> numbers(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString).toList();
	}

	private static List<Integer> sequence(List<Frame> frames) {
		return frames.stream().map((frame) -> Integer.parseInt(frame.text())).toList();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
