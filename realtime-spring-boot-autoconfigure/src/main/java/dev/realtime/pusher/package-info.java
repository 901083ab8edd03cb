/**
 * The Pusher Channels protocol (version 7) over the realtime hub: app credentials,
 * frames, signatures, close codes, the WebSocket handler, and the {@link Realtime} facade
 * services publish with.
 */
@NullMarked
package dev.realtime.pusher;

import org.jspecify.annotations.NullMarked;
