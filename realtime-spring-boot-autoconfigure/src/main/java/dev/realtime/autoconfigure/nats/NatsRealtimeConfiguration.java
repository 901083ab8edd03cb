package dev.realtime.autoconfigure.nats;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.NatsProperties;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.nats.NatsChannelStats;
import dev.realtime.nats.NatsConnection;
import dev.realtime.nats.NatsConnectionCounts;
import dev.realtime.nats.NatsEngineConfig;
import dev.realtime.nats.NatsPresence;
import dev.realtime.pusher.AllAppsChannelStats;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.BroadcastThreads;
import dev.realtime.pusher.ConnectionAdmission;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * The NATS side of {@code realtime.broadcaster=nats}: this node's {@link NatsConnection}
 * (from {@code realtime.nats.*} unless the application defines a {@link NatsEngineConfig}),
 * the {@link NatsBroadcaster} as the application's broadcaster, the {@link NatsPresence}
 * directory (which the auto-configured hub takes), the cluster-wide {@link ChannelStats},
 * and the per-app connection counts the {@link ConnectionAdmission} adds for app quotas
 * ({@link NatsConnectionCounts}). Every app shares them, each app's channels qualified by
 * its {@link dev.realtime.apps.AppNamespace} (the app hubs' views).
 * <p>
 * Imported by the realtime auto-configuration when the NATS broadcaster is chosen and
 * jnats and the realtime-nats module are present. Binds the hub's channel lifecycle and
 * user termination to the broadcaster and opens the connection once every singleton
 * exists (in the background: the node starts even when NATS is unreachable).
 */
@Configuration(proxyBeanMethods = false)
public final class NatsRealtimeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsEngineConfig realtimeNatsEngineConfig(RealtimeProperties properties) {
		NatsProperties nats = properties.getNats();
		NatsEngineConfig.Builder config = NatsEngineConfig.builder()
			.servers(nats.getServers())
			.credentials(nats.getUsername(), nats.getPassword())
			.token(nats.getToken())
			.prefix(nats.getPrefix())
			.nodeTtl(nats.getNodeTtl())
			.statsInterval(nats.getStatsInterval())
			.publishQueueCapacity(nats.getPublishQueueSize())
			.requestTimeout(nats.getRequestTimeout())
			.bufferSize(properties.getBroadcastBufferSize());
		String nodeId = nats.getNodeId();
		if (nodeId != null && !nodeId.isBlank()) {
			config.nodeId(nodeId);
		}
		return config.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NatsConnection realtimeNatsConnection(NatsEngineConfig config) {
		return new NatsConnection(config);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NatsBroadcaster realtimeBroadcaster(NatsConnection connection, BroadcastThreads threads) {
		return new NatsBroadcaster(connection, threads.executor());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(PresenceDirectory.class)
	NatsPresence realtimeNatsPresence(NatsConnection connection, NatsBroadcaster broadcaster) {
		return new NatsPresence(connection, broadcaster);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(ChannelStats.class)
	NatsChannelStats realtimeChannelStats(NatsConnection connection, NatsPresence presence,
			ObjectProvider<AppHubs> appHubs) {
		// What this node reports: the channels of every app's hub, each app's qualified.
		return new NatsChannelStats(connection, new AllAppsChannelStats(SingletonSupplier.of(appHubs::getObject)),
				presence);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NatsConnectionCounts realtimeNatsConnectionCounts(NatsConnection connection, ConnectionAdmission admission) {
		return new NatsConnectionCounts(connection, admission::connectionsPerApp, admission::elsewhere);
	}

	@Bean
	SmartInitializingSingleton realtimeNatsBinding(Hub hub, NatsBroadcaster broadcaster, NatsConnection connection,
			ObjectProvider<AppHubs> appHubs) {
		return () -> {
			hub.onChannelLifecycle(broadcaster);
			// The user's channel names the app: terminate only that app's user.
			broadcaster.setUserTerminator(appHubs.getObject()::terminateUser);
			connection.start();
		};
	}

}
