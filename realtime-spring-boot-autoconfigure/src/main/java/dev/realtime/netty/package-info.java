/**
 * The Netty transport ({@code realtime.transport=netty}): the Pusher endpoint on its own
 * port, served by a Netty event loop. A frame is encoded to its bytes on the wire once and
 * the same direct buffer is written to every subscriber, batches go out in one system
 * call, and an idle connection holds no buffers.
 */
@NullMarked
package dev.realtime.netty;

import org.jspecify.annotations.NullMarked;
