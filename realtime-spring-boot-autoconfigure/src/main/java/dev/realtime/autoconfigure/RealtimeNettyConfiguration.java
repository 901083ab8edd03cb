package dev.realtime.autoconfigure;

import dev.realtime.http.HttpApi;
import dev.realtime.http.HttpApiTimings;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.netty.NettySettings;
import dev.realtime.netty.NettyTls;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The Netty transport ({@code realtime.transport=netty}): the Pusher endpoint on a Netty
 * server of its own. Asking for it without Netty's HTTP codec on the class path fails the
 * startup with a message rather than leaving the application without an endpoint.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "realtime.transport", havingValue = "netty")
@Import({ RealtimeNettyConfiguration.NettyServerConfiguration.class,
		RealtimeNettyConfiguration.NettyMissingConfiguration.class })
final class RealtimeNettyConfiguration {

	private static final Log logger = LogFactory.getLog(RealtimeNettyConfiguration.class);

	static final String CODEC_CLASS = "io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = CODEC_CLASS)
	static final class NettyServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NettyRealtimeServer realtimeNettyServer(RealtimeProperties properties, PusherServer server,
				ProtocolStats stats, Environment environment, ObjectProvider<SslBundles> sslBundles,
				ObjectProvider<HttpApi> httpApi, ObjectProvider<HttpApiTimings> httpApiTimings) {
			RealtimeProperties.Netty netty = properties.getNetty();
			// Half the processors by default: the event loops only write and read; the
			// broadcast thread that feeds them, the application's threads and the GC need the
			// rest (measured on 2 cores: BENCHMARKS.md, "Load", finding 4).
			int ioThreads = (netty.getIoThreads() > 0) ? netty.getIoThreads()
					: Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
			NettySettings settings = new NettySettings(netty.getAddress(), netty.getPort(), ioThreads,
					netty.getBacklog(), netty.getWriteBufferHighWaterMark().toBytes(), netty.getHandshakeTimeout(),
					properties.getOutbox().getSendTimeout(), properties.getCompression().isEnabled(),
					netty.getApiIdleTimeout());
			NettyRealtimeServer nettyServer = new NettyRealtimeServer(settings, properties.getPath(),
					properties.getAllowedOriginPatterns(), () -> applicationPort(environment), server, stats,
					tls(netty.getSsl().getBundle(), sslBundles));
			// The HTTP API on the WebSocket port too, as Reverb and Soketi serve it; the
			// application port keeps it, so existing configurations keep working.
			httpApi.ifAvailable((api) -> nettyServer.serveHttpApi(api,
					httpApiTimings.getIfUnique(() -> HttpApiTimings.NONE)));
			return nettyServer;
		}

		private static @Nullable NettyTls tls(@Nullable String bundleName, ObjectProvider<SslBundles> sslBundles) {
			if (bundleName == null || bundleName.isBlank()) {
				return null;
			}
			SslBundles bundles = sslBundles.getIfAvailable();
			if (bundles == null) {
				throw new IllegalStateException("realtime.netty.ssl.bundle=" + bundleName
						+ " needs Spring Boot's SslBundles (spring.ssl.bundle.*): none is configured");
			}
			NettyTls tls = new NettyTls(bundles.getBundle(bundleName));
			bundles.addBundleUpdateHandler(bundleName, (updated) -> {
				tls.update(updated);
				logger.info("Realtime Netty endpoint: SSL bundle '" + bundleName + "' reloaded, new connections use it");
			});
			return tls;
		}

	}

	/**
	 * The port the web server listens on (known once it started), else the configured
	 * one, else none: pages it serves are same-origin for the Netty endpoint.
	 */
	static int applicationPort(Environment environment) {
		Integer port = environment.getProperty("local.server.port", Integer.class);
		if (port == null) {
			port = environment.getProperty("server.port", Integer.class);
		}
		return (port != null && port > 0) ? port : -1;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(CODEC_CLASS)
	static final class NettyMissingConfiguration {

		NettyMissingConfiguration() {
			throw new IllegalStateException("realtime.transport=netty needs Netty's HTTP codec on the class path: "
					+ "add the dependency io.netty:netty-codec-http (its version is managed by Spring Boot)");
		}

	}

}
