/**
 * Wiring of the Redis broadcaster, cluster presence and cluster statistics
 * ({@code realtime.broadcaster=redis}).
 */
@NullMarked
package dev.realtime.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
