package dev.realtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static dev.realtime.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampled outbox wait: which frames are sampled and what is measured.
 */
class OutboxWaitTest {

	private final List<Long> samples = new CopyOnWriteArrayList<>();

	private Hub hub = new Hub(HubConfig.builder().outboxCapacity(1024).outboxWaitRecorder(this.samples::add).build());

	@AfterEach
	void close() {
		this.hub.close();
	}

	@RepeatedTest(5)
	void oneBroadcastFrameInSixtyFourIsSampledPerConnection() {
		RecordingConn first = new RecordingConn();
		RecordingConn second = new RecordingConn();
		this.hub.subscribe(this.hub.add(first), "c");
		this.hub.subscribe(this.hub.add(second), "c");
		for (int i = 0; i < 10 * OutboxWaitRecorder.SAMPLE_INTERVAL; i++) {
			this.hub.broadcast("c", Frame.text("m" + i));
		}
		await().until(() -> first.frames().size() == 640 && second.frames().size() == 640);
		// Wherever a connection's count starts, 640 frames hold exactly 10 of its samples.
		assertThat(this.samples).hasSize(20).allSatisfy((nanos) -> assertThat(nanos).isNotNegative());
	}

	@Test
	void framesForOneConnectionAreNotSampled() {
		RecordingConn conn = new RecordingConn();
		Client client = this.hub.add(conn);
		for (int i = 0; i < 4 * OutboxWaitRecorder.SAMPLE_INTERVAL; i++) {
			this.hub.sendTo(client.id(), Frame.text("m" + i));
		}
		await().until(() -> conn.frames().size() == 256);
		assertThat(this.samples).isEmpty();
	}

	@Test
	void aSampleIsTheTimeFromTheBroadcastToTheWriterTakingTheFrame() throws InterruptedException {
		BlockingConn conn = new BlockingConn();
		this.hub.subscribe(this.hub.add(conn), "c");
		this.hub.broadcast("c", Frame.text("first"));
		assertThat(conn.awaitWriteStarted()).isTrue();
		// The writer is stuck on the first frame: the others wait in the outbox.
		for (int i = 0; i < 2 * OutboxWaitRecorder.SAMPLE_INTERVAL; i++) {
			this.hub.broadcast("c", Frame.text("m" + i));
		}
		Thread.sleep(100);
		conn.release();
		await().until(() -> conn.frames().size() == 129);
		// Two or three samples; at most one is the first frame, taken at once.
		assertThat(this.samples).hasSizeBetween(2, 3);
		assertThat(this.samples.stream().mapToLong(Long::longValue).max().orElseThrow())
			.isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
	}

	@Test
	void withoutARecorderNoClockIsRead() {
		this.hub.close();
		this.hub = new Hub(HubConfig.defaults());
		this.hub.subscribe(this.hub.add(new RecordingConn()), "c");
		Frame frame = Frame.text("m");
		this.hub.broadcast("c", frame);
		assertThat(frame.queuedAt()).isZero();
	}

}
