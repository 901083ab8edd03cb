/**
 * What happens to the realtime server's connections, as Spring {@code ApplicationEvent}s
 * an {@code @EventListener} receives: {@link dev.realtime.event.ConnectionOpenedEvent},
 * {@link dev.realtime.event.ConnectionClosedEvent}, channel subscriptions, presence
 * members, client events and sign-ins. {@link dev.realtime.event.ApplicationEventRelay}
 * publishes them from a thread of its own, so a slow listener never holds up the server.
 */
@NullMarked
package dev.realtime.event;

import org.jspecify.annotations.NullMarked;
