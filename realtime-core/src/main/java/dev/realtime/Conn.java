package dev.realtime;

import java.io.IOException;
import java.util.List;

/**
 * The transport seam: one network connection as the hub sees it.
 * <p>
 * The hub guarantees that at most one thread calls {@link #send} or {@link #sendAll} at a
 * time. {@link #close} may be called concurrently with a send (from a watchdog or another
 * thread) and must then make the blocked send return or fail.
 */
public interface Conn {

	/**
	 * Write one frame and flush.
	 * @param frame the frame
	 * @throws IOException if the connection is broken
	 */
	default void send(Frame frame) throws IOException {
		sendAll(List.of(frame));
	}

	/**
	 * Write several frames in order and flush once.
	 * @param frames the frames, oldest first; never empty
	 * @throws IOException if the connection is broken
	 */
	void sendAll(List<Frame> frames) throws IOException;

	/**
	 * Close the connection. Idempotent; safe concurrently with a send.
	 * @param reason the close code and reason
	 */
	void close(CloseReason reason);

}
