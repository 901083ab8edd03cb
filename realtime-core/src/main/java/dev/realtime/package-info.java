/**
 * The realtime hub: connections ({@link dev.realtime.Conn}, {@link dev.realtime.Client}),
 * channels and their types, presence rosters, channel authorization and slow-consumer
 * policies. Depends on the JDK only; the protocol and the transports live elsewhere and
 * meet the hub through {@link dev.realtime.Conn} and {@link dev.realtime.ChannelFrames}.
 */
@NullMarked
package dev.realtime;

import org.jspecify.annotations.NullMarked;
