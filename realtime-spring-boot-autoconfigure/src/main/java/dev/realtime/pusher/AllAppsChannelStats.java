package dev.realtime.pusher;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.realtime.ChannelStats;
import dev.realtime.apps.AppNamespace;
import org.jspecify.annotations.Nullable;

/**
 * The channels of every app's hub on this node under the names the shared engines know
 * them by ({@link AppNamespace}): what a node reports to cluster-wide statistics, which
 * each app then reads through its own namespace.
 */
public final class AllAppsChannelStats implements ChannelStats {

	private final Supplier<AppHubs> hubs;

	/**
	 * Statistics over the hubs.
	 * @param hubs the hubs, asked for when first needed (they are built after the
	 * statistics)
	 */
	public AllAppsChannelStats(Supplier<AppHubs> hubs) {
		this.hubs = hubs;
	}

	@Override
	public int subscriptionCount(String channel) {
		AppHub hub = hubOf(channel);
		String local = (hub != null) ? hub.namespace().local(channel) : null;
		return (local != null) ? hub.hub().channelCount(local) : 0;
	}

	@Override
	public Map<String, Integer> occupiedChannels() {
		Map<String, Integer> counts = new TreeMap<>();
		for (AppHub hub : this.hubs.get().all()) {
			AppNamespace namespace = hub.namespace();
			ChannelStats.of(hub.hub())
				.occupiedChannels()
				.forEach((channel, count) -> counts.put(namespace.qualify(channel), count));
		}
		return counts;
	}

	@Override
	public List<String> users(String channel) {
		AppHub hub = hubOf(channel);
		String local = (hub != null) ? hub.namespace().local(channel) : null;
		return (local != null) ? ChannelStats.of(hub.hub()).users(local) : List.of();
	}

	private @Nullable AppHub hubOf(String channel) {
		AppHubs hubs = this.hubs.get();
		String appId = AppNamespace.appIdOf(channel);
		return (appId != null) ? hubs.find(appId) : hubs.defaultHub();
	}

}
