/**
 * Building blocks of the hub that are not API: bounded queues and the serial drain loop.
 * May change without notice.
 */
@NullMarked
package dev.realtime.internal;

import org.jspecify.annotations.NullMarked;
