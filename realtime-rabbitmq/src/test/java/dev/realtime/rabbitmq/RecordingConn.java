package dev.realtime.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/** A transport that records what the hub writes to it. */
final class RecordingConn implements Conn {

	private final List<String> frames = new CopyOnWriteArrayList<>();

	private volatile @Nullable CloseReason closed;

	@Override
	public void sendAll(List<Frame> batch) {
		for (Frame frame : batch) {
			this.frames.add(frame.text());
		}
	}

	@Override
	public void close(CloseReason reason) {
		this.closed = reason;
	}

	List<String> frames() {
		return List.copyOf(this.frames);
	}

	/** The frames for one event name, in arrival order. */
	List<String> events(String name) {
		return this.frames.stream()
			.filter((frame) -> frame.startsWith("event|") && frame.split("\\|", 4)[2].equals(name))
			.toList();
	}

	/** The payloads of the events with a name, in arrival order. */
	List<String> payloads(String name) {
		return events(name).stream().map((frame) -> frame.split("\\|", 4)[3]).toList();
	}

	/** The first frame written, waiting for it if needed. */
	String awaitFirstFrame() {
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !this.frames.isEmpty());
		return this.frames.get(0);
	}

	@Nullable CloseReason closed() {
		return this.closed;
	}

}
