/**
 * Broadcasting: how events published anywhere (a service, the HTTP API, another node)
 * reach the hubs that deliver them. {@link dev.realtime.broadcast.Broadcaster} is the
 * seam; {@link dev.realtime.broadcast.MemoryBroadcaster} serves one node, and the Redis
 * driver lives in the Spring module. The hub never imports this package: the two are
 * joined by whoever assembles them.
 */
@NullMarked
package dev.realtime.broadcast;

import org.jspecify.annotations.NullMarked;
