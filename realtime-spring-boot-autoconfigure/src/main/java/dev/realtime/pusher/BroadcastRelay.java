package dev.realtime.pusher;

import java.util.Objects;
import java.util.function.Function;

import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubClosedException;
import dev.realtime.apps.AppNamespace;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * Hands every event of a {@link Broadcaster} to the local {@link Hub} of its app,
 * encoding the Pusher frame once per event however many connections receive it.
 * <p>
 * The app comes from the channel name ({@link AppNamespace}): an unqualified channel is
 * the default app's and goes to its hub at the cost of one character comparison; a
 * qualified one goes to its app's hub on this node, if there is one (with no hub here,
 * no connection of that app is here to receive it), under the app's own channel name.
 */
public final class BroadcastRelay implements AutoCloseable {

	private final Hub defaultHub;

	private final Function<String, @Nullable Hub> otherHubs;

	private final Subscription subscription;

	/**
	 * Subscribe a single app's hub to every event of the broadcaster.
	 * @param broadcaster where events come from
	 * @param hub where they go
	 */
	public BroadcastRelay(Broadcaster broadcaster, Hub hub) {
		this(broadcaster, hub, (appId) -> null);
	}

	/**
	 * Subscribe every app's hub to the events of its channels.
	 * @param broadcaster where events come from
	 * @param defaultHub where the default app's events go
	 * @param otherHubs the hub of an app on this node by app id, or {@code null}
	 */
	public BroadcastRelay(Broadcaster broadcaster, Hub defaultHub, Function<String, @Nullable Hub> otherHubs) {
		this.defaultHub = Objects.requireNonNull(defaultHub, "defaultHub");
		this.otherHubs = Objects.requireNonNull(otherHubs, "otherHubs");
		this.subscription = broadcaster.subscribeAll(this::deliver);
	}

	private void deliver(Event event) {
		try {
			String appId = AppNamespace.appIdOf(event.channel());
			Hub hub = (appId != null) ? this.otherHubs.apply(appId) : this.defaultHub;
			String channel = (appId != null) ? AppNamespace.of(appId).local(event.channel()) : event.channel();
			if (hub == null || channel == null) {
				return;
			}
			Frame frame = PusherFrames.relayed(event.name(), channel, event.payload(), event.userId());
			if (frame != null) {
				hub.broadcastExcept(channel, frame, event.exceptSocketId());
			}
		}
		catch (HubClosedException ex) {
			// Shutting down (or the app's hub was closed): its connections are being closed.
		}
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
