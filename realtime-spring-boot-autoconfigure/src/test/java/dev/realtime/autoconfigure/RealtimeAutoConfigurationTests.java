package dev.realtime.autoconfigure;

import java.util.Map;

import com.pusher.rest.crypto.CryptoUtil;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.SlowConsumerPolicy;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.event.ApplicationEventRelay;
import dev.realtime.http.ChannelAuthController;
import dev.realtime.http.RequestBodyLimitFilter;
import dev.realtime.http.UserAuthController;
import dev.realtime.pusher.ActivityMonitor;
import dev.realtime.pusher.App;
import dev.realtime.pusher.EventEncryptor;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.GracefulShutdown;
import dev.realtime.pusher.ProtocolSettings;
import dev.realtime.pusher.PusherWebSocketHandler;
import dev.realtime.pusher.Realtime;
import dev.realtime.pusher.SecretBoxEncryptor;
import dev.realtime.pusher.SecretBoxEncryptorTests;
import dev.realtime.pusher.StaticAppRegistry;
import dev.realtime.pusher.SubscriptionCounts;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link RealtimeAutoConfiguration}.
 */
class RealtimeAutoConfigurationTests {

	private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	@Test
	void createsHubBroadcasterFacadeAndDefaultApp() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Hub.class)
				.hasSingleBean(MemoryBroadcaster.class)
				.hasSingleBean(Realtime.class)
				.hasSingleBean(GracefulShutdown.class);
			App app = context.getBean(AppRegistry.class).defaultApp();
			assertThat(app.id()).isEqualTo("app");
			assertThat(app.key()).isEqualTo("app-key");
			assertThat(app.secret()).hasSize(40).isNotEqualTo("app-secret");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("realtime.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class).doesNotHaveBean(Realtime.class));
	}

	@Test
	void configuredAppsAreRegisteredInOrder() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=1", "realtime.apps[0].key=k1", "realtime.apps[0].secret=s1",
					"realtime.apps[1].id=2", "realtime.apps[1].key=k2", "realtime.apps[1].secret=s2")
			.run((context) -> {
				AppRegistry apps = context.getBean(AppRegistry.class);
				assertThat(apps.defaultApp().id()).isEqualTo("1");
				assertThat(apps.findByKey("k2").secret()).isEqualTo("s2");
				assertThat(apps.findById("1").key()).isEqualTo("k1");
				assertThat(apps.findByKey("nope")).isNull();
			});
	}

	@Test
	void incompleteAppFailsWithAReadableMessage() {
		this.contextRunner.withPropertyValues("realtime.apps[0].id=1", "realtime.apps[0].key=k1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("realtime.apps needs an id, a key and a secret"));
	}

	@Test
	void propertiesAreMappedOntoTheHubConfig() {
		this.contextRunner
			.withPropertyValues("realtime.outbox.capacity=5", "realtime.outbox.slow-consumer-policy=disconnect-client",
					"realtime.outbox.send-timeout=2s", "realtime.presence.max-members=3",
					"realtime.shutdown-timeout=1s")
			.run((context) -> {
				HubConfig config = context.getBean(Hub.class).config();
				assertThat(config.outboxCapacity()).isEqualTo(5);
				assertThat(config.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DISCONNECT_CLIENT);
				assertThat(config.sendTimeout()).hasSeconds(2);
				assertThat(config.maxPresenceMembers()).isEqualTo(3);
				assertThat(config.shutdownTimeout()).hasSeconds(1);
			});
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(Hub.class)).isSameAs(context.getBean(UserBeans.class).hub);
			assertThat(context.getBean(Broadcaster.class)).isSameAs(context.getBean(UserBeans.class).broadcaster);
			assertThat(context.getBean(AppRegistry.class).defaultApp().key()).isEqualTo("mine");
		});
	}

	@Test
	void userBroadcasterWinsEvenWhenRedisIsChosen() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.withPropertyValues("realtime.broadcaster=redis")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Broadcaster.class));
	}

	@Test
	void redisBroadcasterWithoutRedisFailsWithAReadableMessage() {
		this.contextRunner.withPropertyValues("realtime.broadcaster=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BroadcasterUnavailableException.class)
				.hasMessageContaining("realtime.broadcaster=redis")
				.hasMessageContaining("spring-boot-starter-data-redis"));
	}

	@Test
	void failureAnalyzerExplainsTheMissingBroadcaster() {
		this.contextRunner.withPropertyValues("realtime.broadcaster=redis").run((context) -> {
			org.springframework.boot.diagnostics.FailureAnalysis analysis = new BroadcasterUnavailableFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'redis'");
			assertThat(analysis.getAction()).contains("realtime.broadcaster");
		});
	}

	@Test
	void broadcastBufferSizeIsConfigurable() {
		this.contextRunner.withPropertyValues("realtime.broadcast-buffer-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("bufferSize must be at least 1"));
	}

	@Test
	void notAWebApplicationHasNoEndpoints() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(PusherWebSocketHandler.class)
			.doesNotHaveBean(ChannelAuthController.class));
	}

	@Test
	void webApplicationGetsTheWebSocketHandlerAndAuthEndpoints() {
		this.webContextRunner.run((context) -> assertThat(context).hasSingleBean(PusherWebSocketHandler.class)
			.hasSingleBean(ActivityMonitor.class)
			.hasSingleBean(ChannelAuthController.class)
			.hasSingleBean(UserAuthController.class)
			.hasBean("realtimeWebSocketConfigurer"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void bodyLimitFiltersCoverTheAuthPathsAndTheHttpApiBeforeSpringSecurity() {
		this.webContextRunner
			.withPropertyValues("realtime.auth.path=/pusher/auth", "realtime.auth.user-path=/pusher/user")
			.run((context) -> {
				FilterRegistrationBean<RequestBodyLimitFilter> auth = context.getBean("realtimeAuthBodyLimitFilter",
						FilterRegistrationBean.class);
				assertThat(auth.getUrlPatterns()).containsExactly("/pusher/auth", "/pusher/user");
				FilterRegistrationBean<RequestBodyLimitFilter> api = context.getBean("realtimeHttpApiBodyLimitFilter",
						FilterRegistrationBean.class);
				assertThat(api.getUrlPatterns()).containsExactly("/apps/*");
				// Spring Security's filter chain is registered at -100 (SecurityProperties.DEFAULT_FILTER_ORDER).
				assertThat(auth.getOrder()).isEqualTo(api.getOrder()).isLessThan(-100);
			});
	}

	@Test
	void anApplicationsBodyLimitFilterRegistrationReplacesTheStartersOfThatName() {
		this.webContextRunner.withBean("realtimeAuthBodyLimitFilter", FilterRegistrationBean.class)
			.run((context) -> assertThat(context.getBean("realtimeAuthBodyLimitFilter", FilterRegistrationBean.class)
				.getFilter()).isNull());
	}

	@Test
	void protocolSettingsComeFromProperties() {
		this.webContextRunner
			.withPropertyValues("realtime.activity-timeout=60s", "realtime.pong-timeout=5s",
					"realtime.max-frame-size=20KB", "realtime.presence.max-user-info-size=2KB",
					"realtime.client-events.enabled=false", "realtime.client-events.rate-limit=3",
					"realtime.watchlists.enabled=false")
			.run((context) -> assertThat(context.getBean(ProtocolSettings.class)).isEqualTo(
					new ProtocolSettings(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(5), 20 * 1024,
							2 * 1024, false, 3, false)));
	}

	@Test
	void withoutSpringWebSocketThereIsNoHandlerButTheHubRemains() {
		this.webContextRunner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PusherWebSocketHandler.class)
				.hasSingleBean(Hub.class)
				.hasSingleBean(Realtime.class));
	}

	@Test
	void withoutSpringMvcThereAreNoAuthEndpoints() {
		this.webContextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelAuthController.class)
				.doesNotHaveBean(UserAuthController.class));
	}

	@Test
	void whenNoAuthorizerBeanPrivateJoinsAreDenied() {
		this.webContextRunner.run((context) -> {
			ResponseEntity<String> response = context.getBean(ChannelAuthController.class)
				.authorize(authRequest("private-orders"));
			assertThat(response.getStatusCode().value()).isEqualTo(403);
		});
	}

	@Test
	void whenNoAuthorizerBeanPublicChannelsStillNeedNoAuth() {
		this.webContextRunner.run((context) -> {
			ResponseEntity<String> response = context.getBean(ChannelAuthController.class)
				.authorize(authRequest("public-news"));
			assertThat(response.getStatusCode().value()).isEqualTo(200);
		});
	}

	@Test
	void theAuthorizerBeanDecides() {
		this.webContextRunner.withBean(Authorizer.class, () -> (request) -> AuthResult.allow())
			.withPropertyValues("realtime.apps[0].id=1", "realtime.apps[0].key=278d425bdf160c739803",
					"realtime.apps[0].secret=7ad3773142a6692b25b8")
			.run((context) -> {
				ResponseEntity<String> response = context.getBean(ChannelAuthController.class)
					.authorize(authRequest("private-foobar"));
				assertThat(response.getStatusCode().value()).isEqualTo(200);
				assertThat(response.getBody()).isEqualTo("{\"auth\":\"278d425bdf160c739803:"
						+ "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4\"}");
			});
	}

	@Test
	void twoAuthorizerBeansFailInsteadOfSilentlyDenying() {
		this.webContextRunner.withBean("one", Authorizer.class, () -> (request) -> AuthResult.allow())
			.withBean("two", Authorizer.class, () -> (request) -> AuthResult.allow())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(org.springframework.beans.factory.NoUniqueBeanDefinitionException.class));
	}

	@Test
	void withoutUserAuthenticatorSigninIsDenied() {
		this.webContextRunner.run((context) -> {
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/broadcasting/user-auth");
			request.setParameter("socket_id", "1234.1234");
			assertThat(context.getBean(UserAuthController.class).authenticate(request).getStatusCode().value())
				.isEqualTo(403);
		});
	}

	@Test
	void invalidEncryptionMasterKeyFailsWithAReadableMessage() {
		this.webContextRunner.withPropertyValues("realtime.encryption-master-key=c2hvcnQ=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("realtime.encryption-master-key must be the base64 of 32 bytes"));
	}

	@Test
	void aMasterKeyGivesTheFacadeASecretBoxEncryptor() {
		this.contextRunner.withPropertyValues("realtime.encryption-master-key=" + MASTER_KEY).run((context) -> {
			assertThat(context).hasSingleBean(SecretBoxEncryptor.class);
			String encrypted = context.getBean(EventEncryptor.class).encrypt("private-encrypted-x", "hi");
			assertThat(new CryptoUtil(MASTER_KEY).decrypt("private-encrypted-x",
					SecretBoxEncryptorTests.message(encrypted)))
				.isEqualTo("hi");
			assertThatNoException().isThrownBy(() -> context.getBean(Realtime.class)
				.publish("private-encrypted-x", "e", Map.of("k", "v")));
		});
	}

	@Test
	void withoutAMasterKeyOrWithABlankOneNothingIsEncrypted() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EventEncryptor.class));
		this.contextRunner.withPropertyValues("realtime.encryption-master-key= ")
			.run((context) -> assertThat(context).doesNotHaveBean(EventEncryptor.class));
	}

	@Test
	void withoutBouncyCastleNothingIsEncryptedAndObjectsToEncryptedChannelsAreRefused() {
		this.contextRunner.withPropertyValues("realtime.encryption-master-key=" + MASTER_KEY)
			.withClassLoader(new FilteredClassLoader("org.bouncycastle"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(EventEncryptor.class);
				assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(Realtime.class)
					.publish("private-encrypted-x", "e", Map.of("k", "v")))
					.withMessageContaining("bcprov-jdk18on");
			});
	}

	@Test
	void theApplicationsEncryptorWins() {
		this.contextRunner.withPropertyValues("realtime.encryption-master-key=" + MASTER_KEY)
			.withBean(EventEncryptor.class, () -> (channel, data) -> "{\"mine\":true}")
			.run((context) -> assertThat(context).hasSingleBean(EventEncryptor.class)
				.doesNotHaveBean(SecretBoxEncryptor.class));
	}

	@Test
	void lifecycleEventsAreRelayedWithTheirMetersByDefault() {
		this.contextRunner.withPropertyValues("realtime.events.queue-capacity=3").run((context) -> {
			assertThat(context).hasSingleBean(ApplicationEventRelay.class);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("realtimeEventMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.get("realtime.events.dropped").functionCounter().count()).isZero();
			assertThat(registry.get("realtime.events.queued").gauge().value()).isZero();
		});
	}

	@Test
	void lifecycleEventsCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("realtime.events.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Realtime.class)
				.doesNotHaveBean(ApplicationEventRelay.class));
	}

	@Test
	void subscriptionCountsToClientsAreOptIn() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SubscriptionCounts.class));
		this.contextRunner.withPropertyValues("realtime.subscription-count.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SubscriptionCounts.class));
	}

	private static MockHttpServletRequest authRequest(String channel) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/broadcasting/auth");
		request.setParameter("socket_id", "1234.1234");
		request.setParameter("channel_name", channel);
		return request;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final Hub hub = new Hub();

		final Broadcaster broadcaster = new MemoryBroadcaster();

		@Bean
		Hub myHub() {
			return this.hub;
		}

		@Bean
		Broadcaster myBroadcaster() {
			return this.broadcaster;
		}

		@Bean
		AppRegistry myApps() {
			return new StaticAppRegistry(java.util.List.of(new App("x", "mine", "secret")));
		}

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.shared();
		}

	}

}
