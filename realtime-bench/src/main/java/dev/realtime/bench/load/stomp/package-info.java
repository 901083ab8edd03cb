/**
 * The load generator's STOMP 1.2 adapter (the Spring simple broker baseline).
 */
@NullMarked
package dev.realtime.bench.load.stomp;

import org.jspecify.annotations.NullMarked;
