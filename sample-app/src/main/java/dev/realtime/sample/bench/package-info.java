/**
 * The load benchmark's publisher, off unless {@code sample.bench.enabled=true}.
 */
@NullMarked
package dev.realtime.sample.bench;

import org.jspecify.annotations.NullMarked;
