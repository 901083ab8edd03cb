package dev.realtime.autoconfigure.nats;

import dev.realtime.ChannelStats;
import dev.realtime.CloseReason;
import dev.realtime.Hub;
import dev.realtime.PresenceDirectory;
import dev.realtime.autoconfigure.NatsProperties;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.nats.NatsChannelStats;
import dev.realtime.nats.NatsConnection;
import dev.realtime.nats.NatsEngineConfig;
import dev.realtime.nats.NatsPresence;
import dev.realtime.pusher.BroadcastThreads;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The NATS side of {@code realtime.broadcaster=nats}: this node's {@link NatsConnection}
 * (from {@code realtime.nats.*} unless the application defines a {@link NatsEngineConfig}),
 * the {@link NatsBroadcaster} as the application's broadcaster, the {@link NatsPresence}
 * directory (which the auto-configured hub takes) and the cluster-wide
 * {@link ChannelStats}.
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
	NatsChannelStats realtimeChannelStats(NatsConnection connection, Hub hub, NatsPresence presence) {
		return new NatsChannelStats(connection, ChannelStats.of(hub), presence);
	}

	@Bean
	SmartInitializingSingleton realtimeNatsBinding(Hub hub, NatsBroadcaster broadcaster, NatsConnection connection) {
		return () -> {
			hub.onChannelLifecycle(broadcaster);
			broadcaster.setUserTerminator((userId) -> hub.disconnectUser(userId, CloseReason.TERMINATED));
			connection.start();
		};
	}

}
