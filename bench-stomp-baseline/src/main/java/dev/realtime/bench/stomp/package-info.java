/**
 * The load benchmark's baseline server: Spring's STOMP simple broker over plain WebSocket
 * (no SockJS), with the same fixed-rate bench publisher as the realtime sample app.
 */
@NullMarked
package dev.realtime.bench.stomp;

import org.jspecify.annotations.NullMarked;
