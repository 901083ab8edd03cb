package dev.realtime.autoconfigure;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.pusher.ActivityMonitor;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.ConnectionLifecycleListener;
import dev.realtime.pusher.PusherEventHandler;
import dev.realtime.pusher.PusherServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Pusher protocol, whichever transport carries it: the {@link PusherServer} the
 * Servlet and Netty transports hand their connections to, and the activity monitor.
 */
@Configuration(proxyBeanMethods = false)
final class RealtimePusherConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProtocolSettings realtimeProtocolSettings(RealtimeProperties properties) {
		return new ProtocolSettings(properties.getActivityTimeout(), properties.getPongTimeout(),
				Math.toIntExact(properties.getMaxFrameSize().toBytes()),
				Math.toIntExact(properties.getPresence().getMaxUserInfoSize().toBytes()),
				properties.getClientEvents().isEnabled(), properties.getClientEvents().getRateLimit());
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
	PusherServer realtimePusherServer(AppRegistry apps, AppHubs hubs, PusherConnections connections,
			ProtocolSettings settings, ProtocolStats stats, ObjectProvider<ConnectionLifecycleListener> lifecycle) {
		return new PusherServer(apps, hubs, connections, settings, stats,
				ConnectionLifecycleListener.of(lifecycle.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	ActivityMonitor realtimeActivityMonitor(PusherConnections connections, ProtocolSettings settings) {
		return new ActivityMonitor(connections, settings);
	}

}
