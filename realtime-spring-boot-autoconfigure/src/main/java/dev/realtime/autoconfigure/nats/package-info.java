/**
 * Wiring of the NATS engine ({@code realtime.broadcaster=nats}).
 */
@NullMarked
package dev.realtime.autoconfigure.nats;

import org.jspecify.annotations.NullMarked;
