/**
 * Actuator health of the realtime server.
 */
@NullMarked
package dev.realtime.health;

import org.jspecify.annotations.NullMarked;
