package dev.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static dev.realtime.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for transports that never block ({@link Conn#isWritable()},
 * {@link Conn#executor()}, {@link Client#resumeWriting()}): frames wait in the bounded
 * outbox while the transport is full, the slow-consumer policy and the watchdog apply as
 * for a blocking transport, and the writer runs on the transport's own thread.
 */
class NonBlockingTransportTest {

	private final ExecutorService eventLoop = Executors
		.newSingleThreadExecutor((task) -> new Thread(task, "test-event-loop"));

	@AfterEach
	void stopEventLoop() throws InterruptedException {
		this.eventLoop.shutdownNow();
		this.eventLoop.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void writerRunsOnTheTransportsExecutor() {
		try (Hub hub = new Hub(HubConfig.builder().build())) {
			EventLoopConn conn = new EventLoopConn(this.eventLoop);
			Client client = hub.add(conn);
			hub.subscribe(client, "c");
			hub.broadcast("c", Frame.text("x"));
			await().until(() -> conn.texts().contains("x"));
			assertThat(conn.writerThreads()).containsOnly("test-event-loop");
		}
	}

	@Test
	void framesWaitInTheOutboxWhileTheTransportIsFullAndFollowInOrder() {
		try (Hub hub = new Hub(HubConfig.builder().outboxCapacity(16).build())) {
			EventLoopConn conn = new EventLoopConn(this.eventLoop);
			Client client = hub.add(conn);
			hub.subscribe(client, "c");
			conn.writable = false;
			for (int i = 0; i < 10; i++) {
				hub.broadcast("c", Frame.text(Integer.toString(i)));
			}
			await().until(() -> client.pending() == 10);
			assertThat(conn.texts()).isEmpty();
			conn.writable = true;
			client.resumeWriting();
			await().until(() -> conn.texts().size() == 10);
			assertThat(conn.texts()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
			assertThat(client.dropped()).isZero();
		}
	}

	@Test
	void aFullTransportMakesTheOutboxOverflowUnderTheSlowConsumerPolicy() {
		HubConfig config = HubConfig.builder()
			.outboxCapacity(4)
			.slowConsumerPolicy(SlowConsumerPolicy.DISCONNECT_CLIENT)
			.sendTimeout(Duration.ZERO)
			.build();
		try (Hub hub = new Hub(config)) {
			EventLoopConn slow = new EventLoopConn(this.eventLoop);
			Client slowClient = hub.add(slow);
			hub.subscribe(slowClient, "c");
			slow.writable = false;
			for (int i = 0; i < 5; i++) {
				hub.broadcast("c", Frame.text(Integer.toString(i)));
			}
			await().until(() -> slow.closes().equals(List.of(CloseReason.SLOW_CONSUMER)));
			assertThat(slow.texts()).isEmpty();
			assertThat(slowClient.dropped()).isOne();
			assertThat(hub.slowConsumerDisconnects()).isOne();
			await().until(() -> hub.count() == 0);
		}
	}

	@Test
	void watchdogClosesATransportThatStaysFull() {
		try (Hub hub = new Hub(HubConfig.builder().sendTimeout(Duration.ofMillis(200)).build())) {
			EventLoopConn stuck = new EventLoopConn(this.eventLoop);
			EventLoopConn idle = new EventLoopConn(this.eventLoop);
			Client stuckClient = hub.add(stuck);
			hub.subscribe(stuckClient, "c");
			Client idleClient = hub.add(idle);
			stuck.writable = false;
			// Full but with nothing to send is not a stalled write.
			idle.writable = false;
			hub.broadcast("c", Frame.text("x"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !stuck.closes().isEmpty());
			assertThat(stuck.closes()).containsExactly(CloseReason.SEND_TIMEOUT);
			assertThat(stuckClient.isOpen()).isFalse();
			assertThat(idleClient.isOpen()).isTrue();
			assertThat(idle.closes()).isEmpty();
		}
	}

	@RepeatedTest(20)
	void resumingWhileTheWriterChecksNeverStrandsFrames() throws InterruptedException {
		try (Hub hub = new Hub(HubConfig.builder().outboxCapacity(4096).sendTimeout(Duration.ZERO).build())) {
			EventLoopConn conn = new EventLoopConn(this.eventLoop);
			Client client = hub.add(conn);
			hub.subscribe(client, "c");
			Thread flipper = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					conn.writable = !conn.writable;
					if (conn.writable) {
						client.resumeWriting();
					}
					Thread.onSpinWait();
				}
			});
			flipper.start();
			for (int i = 0; i < 2000; i++) {
				hub.broadcast("c", Frame.text(Integer.toString(i)));
			}
			flipper.interrupt();
			flipper.join();
			conn.writable = true;
			client.resumeWriting();
			await().until(() -> conn.texts().size() == 2000);
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				expected.add(Integer.toString(i));
			}
			assertThat(conn.texts()).containsExactlyElementsOf(expected);
		}
	}

	/** A connection owned by one thread, as a socket on an event loop is. */
	private static final class EventLoopConn extends RecordingConn {

		private final ExecutorService loop;

		private final List<String> writerThreads = new CopyOnWriteArrayList<>();

		volatile boolean writable = true;

		EventLoopConn(ExecutorService loop) {
			this.loop = loop;
		}

		@Override
		public void sendAll(List<Frame> batch) {
			this.writerThreads.add(Thread.currentThread().getName());
			super.sendAll(batch);
		}

		@Override
		public boolean isWritable() {
			return this.writable;
		}

		@Override
		public @Nullable ExecutorService executor() {
			return this.loop;
		}

		List<String> writerThreads() {
			return this.writerThreads;
		}

	}

}
