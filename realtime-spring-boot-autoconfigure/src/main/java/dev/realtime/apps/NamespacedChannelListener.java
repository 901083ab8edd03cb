package dev.realtime.apps;

import dev.realtime.ChannelListener;

/**
 * Tells a listener of the shared engines one app's channel changes under their qualified
 * names.
 */
final class NamespacedChannelListener implements ChannelListener {

	private final AppNamespace namespace;

	private final ChannelListener shared;

	NamespacedChannelListener(AppNamespace namespace, ChannelListener shared) {
		this.namespace = namespace;
		this.shared = shared;
	}

	@Override
	public void occupied(String channel) {
		this.shared.occupied(this.namespace.qualify(channel));
	}

	@Override
	public void vacated(String channel) {
		this.shared.vacated(this.namespace.qualify(channel));
	}

}
