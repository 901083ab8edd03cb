/**
 * JMH benchmarks of the hub's hot paths. Run from {@code target/benchmarks.jar}; see
 * BENCHMARKS.md at the repository root.
 */
@NullMarked
package dev.realtime.bench;

import org.jspecify.annotations.NullMarked;
