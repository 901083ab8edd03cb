/**
 * Auto-configuration of the realtime server: properties, the hub, the broadcaster, the
 * WebSocket endpoint and the auth endpoints.
 */
@NullMarked
package dev.realtime.autoconfigure;

import org.jspecify.annotations.NullMarked;
