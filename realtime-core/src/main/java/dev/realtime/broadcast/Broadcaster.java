package dev.realtime.broadcast;

import java.util.function.Consumer;

/**
 * Carries published events to the handlers subscribed to their channels, on this node
 * (memory) or on every node (Redis).
 * <p>
 * {@link #publish} never blocks the caller: an event that cannot be buffered is dropped
 * and counted in {@link #dropped()}. Each subscription receives events in publish order
 * per publisher, one at a time.
 */
public interface Broadcaster extends AutoCloseable {

	/**
	 * Publish an event.
	 * @param event the event
	 * @throws IllegalStateException if the broadcaster is closed
	 */
	void publish(Event event);

	/**
	 * Receive the events of one channel.
	 * @param channel the channel
	 * @param handler called for each event; exceptions are caught and counted
	 * @return the subscription
	 */
	Subscription subscribe(String channel, Consumer<Event> handler);

	/**
	 * Receive the events of every channel.
	 * @param handler called for each event; exceptions are caught and counted
	 * @return the subscription
	 */
	Subscription subscribeAll(Consumer<Event> handler);

	/**
	 * Events dropped so far, by any subscription or on the way to other nodes.
	 * @return the count
	 */
	long dropped();

	/**
	 * Take no more events and release resources; events already accepted are still handed
	 * to their handlers (on the broadcaster's executor, which a graceful shutdown awaits).
	 * Idempotent.
	 */
	@Override
	void close();

}
