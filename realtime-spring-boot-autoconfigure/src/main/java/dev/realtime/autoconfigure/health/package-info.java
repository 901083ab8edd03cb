/**
 * Auto-configuration of the realtime health contributor.
 */
@NullMarked
package dev.realtime.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
