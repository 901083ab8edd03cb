package dev.realtime.autoconfigure;

import dev.realtime.HubConfig;
import dev.realtime.pusher.AppKeyHandshakeInterceptor;
import dev.realtime.pusher.CompressionUpgradeStrategy;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherServer;
import dev.realtime.pusher.PusherWebSocketHandler;
import jakarta.websocket.server.ServerContainer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The Servlet transport ({@code realtime.transport=servlet}, the default): the Pusher
 * WebSocket endpoint at {@code realtime.path} on the application's web server. Spring Boot
 * auto-configures only STOMP messaging, so the raw handler is registered here with its own
 * {@link WebSocketConfigurer}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketConfigurer.class, ServerContainer.class })
@ConditionalOnProperty(name = "realtime.transport", havingValue = "servlet", matchIfMissing = true)
@EnableWebSocket
final class RealtimeWebSocketConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PusherWebSocketHandler realtimePusherWebSocketHandler(PusherServer server, ProtocolStats stats,
			HubConfig hubConfig) {
		return new PusherWebSocketHandler(server, stats, hubConfig.sendTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(name = "realtimeWebSocketConfigurer")
	WebSocketConfigurer realtimeWebSocketConfigurer(PusherWebSocketHandler handler, RealtimeProperties properties) {
		// The container negotiates permessage-deflate itself: the strategy decides what it sees.
		DefaultHandshakeHandler handshake = new DefaultHandshakeHandler(new CompressionUpgradeStrategy(
				new DefaultHandshakeHandler().getRequestUpgradeStrategy(), properties.getCompression().isEnabled()));
		return (registry) -> registry.addHandler(handler, properties.getPath())
			.setHandshakeHandler(handshake)
			.addInterceptors(new AppKeyHandshakeInterceptor(properties.getPath()))
			.setAllowedOriginPatterns(properties.getAllowedOriginPatterns().toArray(String[]::new));
	}

}
