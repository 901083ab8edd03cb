/**
 * Micrometer metrics of the realtime server.
 */
@NullMarked
package dev.realtime.metrics;

import org.jspecify.annotations.NullMarked;
