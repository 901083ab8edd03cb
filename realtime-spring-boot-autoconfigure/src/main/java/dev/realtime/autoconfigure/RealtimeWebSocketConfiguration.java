package dev.realtime.autoconfigure;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.pusher.ActivityMonitor;
import dev.realtime.pusher.AppKeyHandshakeInterceptor;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.PusherEventHandler;
import dev.realtime.pusher.PusherWebSocketHandler;
import jakarta.websocket.server.ServerContainer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * The Pusher WebSocket endpoint at {@code realtime.path}. Spring Boot auto-configures only
 * STOMP messaging, so the raw handler is registered here with its own
 * {@link WebSocketConfigurer}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketConfigurer.class, ServerContainer.class })
@EnableWebSocket
final class RealtimeWebSocketConfiguration {

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
			CacheChannels cacheChannels) {
		return new PusherEventHandler(hub, broadcaster, jsonMapper.getIfAvailable(JsonMapper::shared), settings,
				stats, cacheChannels);
	}

	@Bean
	@ConditionalOnMissingBean
	PusherWebSocketHandler realtimePusherWebSocketHandler(Hub hub, AppRegistry apps, PusherConnections connections,
			PusherEventHandler events, ProtocolSettings settings, ProtocolStats stats) {
		return new PusherWebSocketHandler(hub, apps, connections, events, settings, stats);
	}

	@Bean
	@ConditionalOnMissingBean
	ActivityMonitor realtimeActivityMonitor(Hub hub, PusherConnections connections, ProtocolSettings settings) {
		return new ActivityMonitor(hub, connections, settings);
	}

	@Bean
	@ConditionalOnMissingBean(name = "realtimeWebSocketConfigurer")
	WebSocketConfigurer realtimeWebSocketConfigurer(PusherWebSocketHandler handler, RealtimeProperties properties) {
		return (registry) -> registry.addHandler(handler, properties.getPath())
			.addInterceptors(new AppKeyHandshakeInterceptor(properties.getPath()))
			.setAllowedOriginPatterns(properties.getAllowedOriginPatterns().toArray(String[]::new));
	}

}
