/**
 * Straightforward fan-out implementations the hub is measured against, in the same run.
 */
@NullMarked
package dev.realtime.bench.baseline;

import org.jspecify.annotations.NullMarked;
