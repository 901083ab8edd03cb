package dev.realtime.netty;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How the Netty transport listens.
 * @param address the address to bind, or {@code null} for all
 * @param port the port; 0 for any free port
 * @param ioThreads event loop threads (at least one)
 * @param backlog the accept queue's length
 * @param writeBufferHighWaterMark bytes queued on a socket above which the hub stops
 * writing to it (the slow-consumer policy then applies to its outbox); it resumes below
 * half of that
 * @param handshakeTimeout longest wait for the upgrade request after the TCP connection
 * @param sendTimeout how long a socket may stay above the high-water mark before the
 * connection is closed, whatever filled it (frames, or pongs to a client that pings and
 * never reads)
 * @param compression whether clients may negotiate permessage-deflate
 * @param apiIdleTimeout how long a keep-alive HTTP API connection may wait for its next
 * request before it is closed
 */
public record NettySettings(@Nullable String address, int port, int ioThreads, int backlog,
		long writeBufferHighWaterMark, Duration handshakeTimeout, Duration sendTimeout, boolean compression,
		Duration apiIdleTimeout) {
}
