/**
 * Building blocks of the hub and of the cluster engines that are not API: bounded queues,
 * the serial drain loop, and the holds presence joins put on channel events.
 * May change without notice.
 */
@NullMarked
package dev.realtime.internal;

import org.jspecify.annotations.NullMarked;
