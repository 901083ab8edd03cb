/**
 * The load generator: Netty WebSocket subscribers on a small event loop, a fixed-rate
 * publisher, delivery accounting (loss, duplicates, order) and latency histograms, the
 * scenarios, and the orchestration that starts the servers and writes BENCHMARKS.md. See
 * {@code realtime-bench/README-load.md}.
 */
@NullMarked
package dev.realtime.bench.load;

import org.jspecify.annotations.NullMarked;
