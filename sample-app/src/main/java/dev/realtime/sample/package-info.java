/**
 * The demo application: a chat with a presence list, whispers and per-user messages,
 * served by the realtime starter.
 */
@NullMarked
package dev.realtime.sample;

import org.jspecify.annotations.NullMarked;
