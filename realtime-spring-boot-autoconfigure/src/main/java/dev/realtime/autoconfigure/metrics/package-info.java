/**
 * Auto-configuration of the realtime meters.
 */
@NullMarked
package dev.realtime.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
