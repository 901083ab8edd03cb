package dev.realtime.apps;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.realtime.ChannelStats;

/**
 * One app's view of statistics over every app's channels.
 */
final class NamespacedChannelStats implements ChannelStats {

	private final AppNamespace namespace;

	private final ChannelStats shared;

	NamespacedChannelStats(AppNamespace namespace, ChannelStats shared) {
		this.namespace = namespace;
		this.shared = shared;
	}

	@Override
	public int subscriptionCount(String channel) {
		return this.shared.subscriptionCount(this.namespace.qualify(channel));
	}

	@Override
	public Map<String, Integer> occupiedChannels() {
		Map<String, Integer> counts = new TreeMap<>();
		for (Map.Entry<String, Integer> entry : this.shared.occupiedChannels().entrySet()) {
			String channel = this.namespace.local(entry.getKey());
			if (channel != null) {
				counts.put(channel, entry.getValue());
			}
		}
		return counts;
	}

	@Override
	public List<String> users(String channel) {
		return this.shared.users(this.namespace.qualify(channel));
	}

}
