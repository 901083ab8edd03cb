package dev.realtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

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
	 * Whether the transport takes more frames now. A non-blocking transport answers
	 * {@code false} while its own send buffer is above its high-water mark: the writer then
	 * leaves frames in the client's bounded outbox, where the slow-consumer policy applies,
	 * and the send watchdog counts the wait as a write in progress. The transport calls
	 * {@link Client#resumeWriting()} once it takes frames again.
	 * @return {@code true} if {@link #sendAll} may be called; blocking transports always
	 * answer {@code true}
	 */
	default boolean isWritable() {
		return true;
	}

	/**
	 * The executor to run this connection's writer on, or {@code null} for the hub's writer
	 * pool. A transport whose sockets each belong to one I/O thread (an event loop) returns
	 * that thread, so frames are written where the socket lives without another hand-off;
	 * {@link #sendAll} must then never block.
	 * @return the executor, or {@code null}
	 */
	default @Nullable Executor executor() {
		return null;
	}

	/**
	 * Close the connection. Idempotent; safe concurrently with a send.
	 * @param reason the close code and reason
	 */
	void close(CloseReason reason);

}
