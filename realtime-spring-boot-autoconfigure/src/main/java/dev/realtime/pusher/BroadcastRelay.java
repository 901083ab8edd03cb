package dev.realtime.pusher;

import java.util.Objects;

import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.Subscription;

/**
 * Hands every event of a {@link Broadcaster} to the local {@link Hub}, encoding the Pusher
 * frame once per event however many connections receive it.
 */
public final class BroadcastRelay implements AutoCloseable {

	private final Hub hub;

	private final Subscription subscription;

	/**
	 * Subscribe the hub to every event of the broadcaster.
	 * @param broadcaster where events come from
	 * @param hub where they go
	 */
	public BroadcastRelay(Broadcaster broadcaster, Hub hub) {
		this.hub = Objects.requireNonNull(hub, "hub");
		this.subscription = broadcaster.subscribeAll(this::deliver);
	}

	private void deliver(Event event) {
		try {
			this.hub.broadcastExcept(event.channel(), encode(event), event.exceptSocketId());
		}
		catch (HubClosedException ex) {
			// Shutting down: the connections are being closed anyway.
		}
	}

	private static Frame encode(Event event) {
		String userId = event.userId();
		return (userId != null) ? PusherFrames.clientEvent(event.name(), event.channel(), event.payload(), userId)
				: PusherFrames.event(event.name(), event.channel(), event.payload());
	}

	/**
	 * Events the relay could not take because its buffer was full.
	 * @return the count
	 */
	public long dropped() {
		return this.subscription.dropped();
	}

	/**
	 * Stop relaying. Idempotent.
	 */
	@Override
	public void close() {
		this.subscription.cancel();
	}

}
