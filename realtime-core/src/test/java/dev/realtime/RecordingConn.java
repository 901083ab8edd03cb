package dev.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Conn} that records what it is sent and how it was closed, and checks that
 * only one thread writes at a time.
 */
class RecordingConn implements Conn {

	private final List<Frame> frames = new CopyOnWriteArrayList<>();

	private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	private final AtomicInteger writers = new AtomicInteger();

	private volatile boolean concurrentWrite;

	@Override
	public void sendAll(List<Frame> batch) {
		if (this.writers.incrementAndGet() != 1) {
			this.concurrentWrite = true;
		}
		try {
			this.batchSizes.add(batch.size());
			this.frames.addAll(batch);
		}
		finally {
			this.writers.decrementAndGet();
		}
	}

	@Override
	public void close(CloseReason reason) {
		this.closes.add(reason);
	}

	List<Frame> frames() {
		return this.frames;
	}

	List<String> texts() {
		List<String> texts = new ArrayList<>();
		for (Frame frame : this.frames) {
			texts.add(frame.isBinary() ? "<binary>" : frame.text());
		}
		return texts;
	}

	List<Integer> batchSizes() {
		return this.batchSizes;
	}

	List<CloseReason> closes() {
		return this.closes;
	}

	@Nullable CloseReason closeReason() {
		return this.closes.isEmpty() ? null : this.closes.get(0);
	}

	boolean isClosed() {
		return !this.closes.isEmpty();
	}

	boolean sawConcurrentWrite() {
		return this.concurrentWrite;
	}

}
