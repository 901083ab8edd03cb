package dev.realtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Conn} whose writes block until {@link #release()} or {@link #close} is called,
 * like a peer that stopped reading; a write cut short by close fails as a real socket does.
 */
final class BlockingConn implements Conn {

	private final CountDownLatch released = new CountDownLatch(1);

	private final CountDownLatch closed = new CountDownLatch(1);

	private final CountDownLatch writeStarted = new CountDownLatch(1);

	private final List<Frame> frames = new CopyOnWriteArrayList<>();

	private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	@Override
	public void sendAll(List<Frame> batch) throws IOException {
		this.writeStarted.countDown();
		try {
			while (this.released.getCount() > 0) {
				if (this.closed.await(10, TimeUnit.MILLISECONDS)) {
					throw new IOException("closed while writing");
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		this.batchSizes.add(batch.size());
		this.frames.addAll(batch);
	}

	@Override
	public void close(CloseReason reason) {
		this.closes.add(reason);
		this.closed.countDown();
	}

	/** Let every write through from now on. */
	void release() {
		this.released.countDown();
	}

	boolean awaitWriteStarted() throws InterruptedException {
		return this.writeStarted.await(10, TimeUnit.SECONDS);
	}

	List<Frame> frames() {
		return this.frames;
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

}
