package dev.realtime.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelNames;
import dev.realtime.ChannelStats;
import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.PresenceDirectory;
import dev.realtime.PresenceListener;
import dev.realtime.apps.AppNamespace;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherEventHandler;
import dev.realtime.pusher.Realtime;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the hub of an app other than the default one, with the app's settings, on the
 * engines every app shares, each seen through the app's {@link AppNamespace}: the
 * broadcaster, the channel cache, the presence directory, the cluster's statistics and
 * the broadcaster's channel subscriptions. The hubs share one writer pool (closed with
 * the factory) rather than one each.
 */
final class AppHubFactory implements Function<App, AppHub>, AutoCloseable {

	private final HubConfig baseConfig;

	private final int serverMaxPresenceMembers;

	private final ProtocolSettings baseProtocol;

	private final Broadcaster broadcaster;

	private final ChannelCache cache;

	private final JsonMapper jsonMapper;

	private final ProtocolStats protocolStats;

	private final Cluster cluster;

	private final @Nullable AppWebhooks webhooks;

	private final ExecutorService writers;

	AppHubFactory(HubConfig baseConfig, int serverMaxPresenceMembers, ProtocolSettings baseProtocol,
			Broadcaster broadcaster, ChannelCache cache, JsonMapper jsonMapper, ProtocolStats protocolStats,
			Cluster cluster, @Nullable AppWebhooks webhooks) {
		this.baseConfig = baseConfig;
		this.serverMaxPresenceMembers = serverMaxPresenceMembers;
		this.baseProtocol = baseProtocol;
		this.broadcaster = broadcaster;
		this.cache = cache;
		this.jsonMapper = jsonMapper;
		this.protocolStats = protocolStats;
		this.cluster = cluster;
		this.webhooks = webhooks;
		this.writers = DaemonThreads.newWriterPool("realtime-app-writer", 256);
	}

	@Override
	public AppHub apply(App app) {
		AppNamespace namespace = AppNamespace.of(app.id());
		PresenceDirectory presence = (this.cluster.presence() != null) ? namespace.presence(this.cluster.presence())
				: null;
		HubConfig config = this.baseConfig.toBuilder()
			.maxPresenceMembers(app.settings().maxPresenceMembers(this.serverMaxPresenceMembers))
			.presenceDirectory(presence)
			.writerExecutor((this.baseConfig.writerExecutor() != null) ? this.baseConfig.writerExecutor() : this.writers)
			.build();
		Hub hub = new Hub(config);
		if (this.cluster.channelListener() != null) {
			hub.onChannelLifecycle(namespace.listener(this.cluster.channelListener()));
		}
		Broadcaster appBroadcaster = namespace.broadcaster(this.broadcaster);
		ChannelCache appCache = namespace.cache(this.cache);
		ChannelStats stats = (this.cluster.stats() != null) ? namespace.stats(this.cluster.stats())
				: ChannelStats.of(hub);
		List<AutoCloseable> resources = new ArrayList<>();
		AppWebhooks.Webhooks appWebhooks = (this.webhooks != null)
				? this.webhooks.build(app, namespace, hub, presenceEvents(namespace, hub), appBroadcaster, stats) : null;
		if (appWebhooks != null) {
			resources.add(appWebhooks.dispatcher());
			resources.add(appWebhooks.sender());
		}
		CacheChannels cacheChannels = new CacheChannels(appCache, (channel) -> {
			if (appWebhooks != null) {
				appWebhooks.dispatcher().cacheMiss(channel);
			}
		});
		PusherEventHandler events = new PusherEventHandler(hub, appBroadcaster, this.jsonMapper,
				app.settings().protocol(this.baseProtocol), this.protocolStats, cacheChannels);
		Realtime realtime = new Realtime(appBroadcaster, this.jsonMapper, appCache);
		return new AppHub(app, namespace, hub, events, realtime, stats, terminator(namespace, hub), resources);
	}

	private Consumer<PresenceListener> presenceEvents(AppNamespace namespace, Hub hub) {
		Consumer<PresenceListener> clusterPresence = this.cluster.presenceEvents();
		if (clusterPresence == null) {
			return hub::onPresence;
		}
		return (listener) -> clusterPresence.accept(namespace.presenceListener(listener));
	}

	private Consumer<String> terminator(AppNamespace namespace, Hub hub) {
		BiConsumer<String, String> clusterTerminator = this.cluster.terminator();
		if (clusterTerminator == null) {
			return (userId) -> hub.disconnectUser(userId, CloseReason.TERMINATED);
		}
		return (userId) -> clusterTerminator.accept(namespace.qualify(ChannelNames.serverToUser(userId)), userId);
	}

	@Nullable AppWebhooks webhooks() {
		return this.webhooks;
	}

	Cluster cluster() {
		return this.cluster;
	}

	@Override
	public void close() {
		this.writers.shutdown();
	}

	/**
	 * The engines of a cluster that the apps share, each {@code null} on a single node.
	 * @param presence the presence directory
	 * @param stats the cluster-wide statistics of every app's channels
	 * @param channelListener the broadcaster's channel subscriptions
	 * @param presenceEvents registers a listener of every app's member changes, once per
	 * cluster
	 * @param terminator closes a user's connections on every node, given the user's
	 * (qualified) channel and id
	 */
	record Cluster(@Nullable PresenceDirectory presence, @Nullable ChannelStats stats,
			@Nullable ChannelListener channelListener, @Nullable Consumer<PresenceListener> presenceEvents,
			@Nullable BiConsumer<String, String> terminator) {

		static final Cluster NONE = new Cluster(null, null, null, null, null);

	}

}
