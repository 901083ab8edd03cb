/**
 * The load generator's Pusher protocol v7 adapter (the realtime server).
 */
@NullMarked
package dev.realtime.bench.load.pusher;

import org.jspecify.annotations.NullMarked;
