/**
 * The load generator's nchan adapter (nginx pub/sub baseline).
 */
@NullMarked
package dev.realtime.bench.load.nchan;

import org.jspecify.annotations.NullMarked;
