package dev.realtime.pusher;

/**
 * A client sent a message (assembled from its parts) far beyond the size limit: the
 * connection is closed with 1009, as the container would do.
 */
final class MessageTooLargeException extends RuntimeException {

	MessageTooLargeException(int limit) {
		super("Message larger than " + limit + " characters");
	}

}
