package dev.realtime.autoconfigure;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.pusher.ActivityMonitor;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.ConnectionLimits;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.ConnectionLifecycleListener;
import dev.realtime.pusher.PusherEventHandler;
import dev.realtime.pusher.PusherServer;
import dev.realtime.pusher.TrustedProxies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The Pusher protocol, whichever transport carries it: the {@link PusherServer} the
 * Servlet and Netty transports hand their connections to, its admission and
 * per-connection limits ({@code realtime.limits.*}), and the activity monitor.
 */
@Configuration(proxyBeanMethods = false)
final class RealtimePusherConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProtocolSettings realtimeProtocolSettings(RealtimeProperties properties) {
		return new ProtocolSettings(properties.getActivityTimeout(), properties.getPongTimeout(),
				Math.toIntExact(properties.getMaxFrameSize().toBytes()),
				Math.toIntExact(properties.getPresence().getMaxUserInfoSize().toBytes()),
				properties.getClientEvents().isEnabled(), properties.getClientEvents().getRateLimit(),
				properties.getWatchlists().isEnabled());
	}

	@Bean
	@ConditionalOnMissingBean
	PusherEventHandler realtimePusherEventHandler(Hub hub, Broadcaster broadcaster,
			ObjectProvider<JsonMapper> jsonMapper, ProtocolSettings settings, ProtocolStats stats,
			CacheChannels cacheChannels, AppRegistry apps, ObjectProvider<ConnectionLifecycleListener> lifecycle) {
		// The default app's handler: the server's settings with the app's own.
		return new PusherEventHandler(hub, broadcaster, jsonMapper.getIfAvailable(JsonMapper::shared),
				apps.defaultApp().settings().protocol(settings), stats, cacheChannels,
				ConnectionLifecycleListener.of(lifecycle.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionLimits realtimeConnectionLimits(RealtimeProperties properties) {
		RealtimeProperties.Limits limits = properties.getLimits();
		if (limits.getMessageBurst() < limits.getMaxChannelsPerConnection()) {
			throw new IllegalStateException("realtime.limits.message-burst (" + limits.getMessageBurst()
					+ ") must be at least realtime.limits.max-channels-per-connection ("
					+ limits.getMaxChannelsPerConnection()
					+ "): a reconnecting client subscribes to all its channels at once");
		}
		return new ConnectionLimits(limits.getMaxChannelsPerConnection(), limits.getMessageRate(),
				limits.getMessageBurst(), limits.getAuthorizationTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionAdmission realtimeConnectionAdmission(RealtimeProperties properties, Environment environment,
			ResourceLoader resourceLoader) {
		RealtimeProperties.Limits limits = properties.getLimits();
		return new ConnectionAdmission(
				NodeConnectionLimit.resolve(properties, environment, resourceLoader.getClassLoader()),
				limits.getMaxConnectionsPerIp(), limits.getConnectRatePerIp(),
				TrustedProxies.of(limits.getTrustedProxies()));
	}

	@Bean
	@ConditionalOnMissingBean
	PusherServer realtimePusherServer(AppRegistry apps, AppHubs hubs, PusherConnections connections,
			ProtocolSettings settings, ProtocolStats stats, ConnectionAdmission admission, ConnectionLimits limits,
			ObjectProvider<ConnectionLifecycleListener> lifecycle) {
		return new PusherServer(apps, hubs, connections, settings, stats, admission, limits,
				ConnectionLifecycleListener.of(lifecycle.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	ActivityMonitor realtimeActivityMonitor(PusherConnections connections, ProtocolSettings settings,
			ConnectionLimits limits, ProtocolStats stats) {
		return new ActivityMonitor(connections, settings, limits, stats);
	}

}
