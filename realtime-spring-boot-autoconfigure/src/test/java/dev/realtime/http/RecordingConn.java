package dev.realtime.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A connection that records the text frames it is sent and how it was closed.
 */
class RecordingConn implements Conn {

	final List<String> frames = new CopyOnWriteArrayList<>();

	volatile @Nullable CloseReason closed;

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

	boolean received(String fragment) {
		return this.frames.stream().anyMatch((frame) -> frame.contains(fragment));
	}

}
