package dev.realtime.event;

import org.springframework.context.ApplicationEvent;

/**
 * Something that happened on this node's realtime server; the base of every event the
 * {@link ApplicationEventRelay} publishes. {@link #getTimestamp()} is when it happened,
 * not when a listener receives it.
 */
public abstract class RealtimeEvent extends ApplicationEvent {

	/**
	 * An event.
	 * @param source what it happened to: a socket id, or a channel for member events
	 */
	protected RealtimeEvent(Object source) {
		super(source);
	}

}
