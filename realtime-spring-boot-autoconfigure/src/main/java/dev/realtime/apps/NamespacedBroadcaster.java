package dev.realtime.apps;

import java.util.function.Consumer;

import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.Subscription;

/**
 * One app's view of a shared broadcaster.
 */
final class NamespacedBroadcaster implements Broadcaster {

	private final AppNamespace namespace;

	private final Broadcaster shared;

	NamespacedBroadcaster(AppNamespace namespace, Broadcaster shared) {
		this.namespace = namespace;
		this.shared = shared;
	}

	@Override
	public void publish(Event event) {
		this.shared.publish(this.namespace.qualify(event));
	}

	@Override
	public Subscription subscribe(String channel, Consumer<Event> handler) {
		String local = channel;
		return this.shared.subscribe(this.namespace.qualify(channel),
				(event) -> handler.accept(AppNamespace.withChannel(event, local)));
	}

	@Override
	public Subscription subscribeAll(Consumer<Event> handler) {
		return this.shared.subscribeAll((event) -> {
			String channel = this.namespace.local(event.channel());
			if (channel != null) {
				handler.accept(this.namespace.isDefault() ? event : AppNamespace.withChannel(event, channel));
			}
		});
	}

	@Override
	public long dropped() {
		return this.shared.dropped();
	}

	/** Nothing to release: the shared broadcaster is closed with the application. */
	@Override
	public void close() {
	}

}
