package dev.realtime.pusher;

import dev.realtime.CloseReason;
import dev.realtime.Frame;
import org.jspecify.annotations.Nullable;

/**
 * A protocol error that knows how to tell the client: as a {@code pusher:error} by
 * default, followed by closing the connection when {@link #closeReason()} says so.
 */
public abstract class PusherException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what went wrong, told to the client
	 */
	protected PusherException(String message) {
		super(message);
	}

	/**
	 * The Pusher error code.
	 * @return the code, or {@code null} for a non-fatal error
	 */
	public abstract @Nullable Integer code();

	/**
	 * How the connection is closed after the error is sent.
	 * @return the close reason, or {@code null} to keep the connection
	 */
	public @Nullable CloseReason closeReason() {
		return null;
	}

	/**
	 * The frame telling the client.
	 * @return the frame
	 */
	public Frame toFrame() {
		return PusherFrames.error(code(), getMessage());
	}

	/**
	 * An error that closes the connection with its own close code.
	 */
	abstract static class Fatal extends PusherException {

		private final CloseReason reason;

		Fatal(CloseReason reason, String message) {
			super(message);
			this.reason = reason;
		}

		@Override
		public Integer code() {
			return this.reason.code();
		}

		@Override
		public CloseReason closeReason() {
			return this.reason;
		}

	}

	/**
	 * An error the client is told about; the connection stays open.
	 */
	abstract static class NonFatal extends PusherException {

		NonFatal(String message) {
			super(message);
		}

		@Override
		public @Nullable Integer code() {
			return null;
		}

	}

}
