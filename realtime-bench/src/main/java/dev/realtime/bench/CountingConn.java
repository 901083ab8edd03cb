package dev.realtime.bench;

import java.util.List;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;

/**
 * A connection that writes nothing and counts the frames handed to it, so a benchmark
 * measures the hub rather than a socket.
 */
public final class CountingConn implements Conn {

	/** Written by the connection's single writer only (the hub guarantees one at a time). */
	private long frames;

	@Override
	public void sendAll(List<Frame> frames) {
		this.frames += frames.size();
	}

	@Override
	public void close(CloseReason reason) {
	}

	/**
	 * Frames handed to this connection so far; read from another thread it may lag a little.
	 * @return the count
	 */
	public long frames() {
		return this.frames;
	}

}
