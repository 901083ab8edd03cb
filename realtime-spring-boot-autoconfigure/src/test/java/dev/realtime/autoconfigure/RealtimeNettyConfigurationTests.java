package dev.realtime.autoconfigure;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.realtime.http.ChannelAuthController;
import dev.realtime.netty.NettyRealtimeServer;
import dev.realtime.netty.NettySettings;
import dev.realtime.pusher.ActivityMonitor;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherServer;
import dev.realtime.pusher.PusherWebSocketHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the transport choice ({@code realtime.transport}) and
 * {@link RealtimeNettyConfiguration}. The Netty server binds when the context starts, so
 * every context here asks for a free port.
 */
class RealtimeNettyConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	@Test
	void nettyTransportStartsTheNettyServerInsteadOfTheServletEndpoint() {
		this.webContextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0")
			.run((context) -> {
				assertThat(context).hasSingleBean(NettyRealtimeServer.class)
					.hasSingleBean(PusherServer.class)
					.hasSingleBean(ActivityMonitor.class)
					.doesNotHaveBean(PusherWebSocketHandler.class)
					.doesNotHaveBean("realtimeWebSocketConfigurer")
					.hasSingleBean(ChannelAuthController.class);
				NettyRealtimeServer server = context.getBean(NettyRealtimeServer.class);
				assertThat(server.isRunning()).isTrue();
				assertThat(server.port()).isPositive();
			});
	}

	@Test
	void sslBundleWithoutSslBundlesFailsWithAMessage() {
		this.contextRunner
			.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.ssl.bundle=web")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("realtime.netty.ssl.bundle=web"));
	}

	@Test
	void unknownSslBundleFailsTheStartup() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.ssl.bundle=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(NoSuchSslBundleException.class));
	}

	@Test
	void nettyTransportNeedsNoWebApplication() {
		this.contextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0")
			.run((context) -> assertThat(context).hasSingleBean(NettyRealtimeServer.class)
				.doesNotHaveBean(PusherWebSocketHandler.class));
	}

	@Test
	void defaultTransportIsTheServletEndpointWithoutNetty() {
		this.webContextRunner.run((context) -> assertThat(context).hasSingleBean(PusherWebSocketHandler.class)
			.hasSingleBean(PusherServer.class)
			.doesNotHaveBean(NettyRealtimeServer.class));
	}

	@Test
	void servletTransportHasNoNettyServer() {
		this.webContextRunner.withPropertyValues("realtime.transport=servlet")
			.run((context) -> assertThat(context).hasSingleBean(PusherWebSocketHandler.class)
				.doesNotHaveBean(NettyRealtimeServer.class));
	}

	@Test
	void userDefinedNettyServerReplacesOurs() {
		this.webContextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0")
			.withUserConfiguration(UserNettyServer.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(NettyRealtimeServer.class);
				assertThat(context.getBean(NettyRealtimeServer.class))
					.isSameAs(context.getBean(UserNettyServer.class).server);
			});
	}

	@Test
	void nettyTransportWithoutNettysHttpCodecFailsWithAReadableMessage() {
		this.webContextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0")
			.withClassLoader(new FilteredClassLoader("io.netty.handler.codec.http"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("realtime.transport=netty")
				.hasMessageContaining("io.netty:netty-codec-http"));
	}

	@Test
	void withoutNettysHttpCodecTheDefaultTransportStillStarts() {
		this.webContextRunner.withClassLoader(new FilteredClassLoader("io.netty.handler.codec.http"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(PusherWebSocketHandler.class));
	}

	@Test
	void aPortInUseFailsTheStartupWithTheAddress() throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			this.contextRunner
				.withPropertyValues("realtime.transport=netty", "realtime.netty.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).getFailure()
						.hasStackTraceContaining("Realtime Netty transport could not bind")
						.hasStackTraceContaining(":" + taken.getLocalPort())
						.rootCause()
						.isInstanceOf(BindException.class);
					// The event loops started for the failed bind are shut down again.
					await().atMost(Duration.ofSeconds(5)).until(() -> nettyThreads().isEmpty());
				});
		}
	}

	private static List<String> nettyThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("realtime-netty-"))
			.toList();
	}

	@Test
	void closingTheContextStopsTheServer() {
		this.contextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0").run((context) -> {
			NettyRealtimeServer server = context.getBean(NettyRealtimeServer.class);
			int port = server.port();
			context.close();
			assertThat(server.isRunning()).isFalse();
			assertThat(server.port()).isEqualTo(-1);
			try (ServerSocket again = new ServerSocket(port)) {
				assertThat(again.getLocalPort()).isEqualTo(port);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserNettyServer {

		NettyRealtimeServer server;

		@Bean
		NettyRealtimeServer myNettyServer(PusherServer pusher, ProtocolStats stats) {
			this.server = new NettyRealtimeServer(new NettySettings("127.0.0.1", 0, 1, 16, 32 * 1024,
					Duration.ofSeconds(1), Duration.ofSeconds(10), false, Duration.ofSeconds(60)), "/ws/{key}", List.of(), () -> -1, pusher,
					stats, null);
			return this.server;
		}

	}

}
