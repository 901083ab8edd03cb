package dev.realtime.apps;

import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * One app's view of a shared channel cache.
 */
final class NamespacedChannelCache implements ChannelCache {

	private final AppNamespace namespace;

	private final ChannelCache shared;

	NamespacedChannelCache(AppNamespace namespace, ChannelCache shared) {
		this.namespace = namespace;
		this.shared = shared;
	}

	@Override
	public void put(Event event) {
		this.shared.put(this.namespace.qualify(event));
	}

	@Override
	public @Nullable Event get(String channel) {
		Event event = this.shared.get(this.namespace.qualify(channel));
		return (event != null) ? AppNamespace.withChannel(event, channel) : null;
	}

}
