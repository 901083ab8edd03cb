package dev.realtime.autoconfigure;

import java.time.Duration;

import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.ConnectionLimits;
import dev.realtime.pusher.OverQuotaException;
import dev.realtime.pusher.TrustedProxies;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@code realtime.limits.*} wiring: the node limit derived from Tomcat's,
 * its check at startup, app quotas, and the per-connection limits.
 */
class RealtimeLimitsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class));

	@Test
	void onTomcatTheNodeLimitLeavesATenthOfTomcatsConnectionsToHttp() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections())
			.isEqualTo(8192 - 819));
		this.contextRunner.withPropertyValues("server.tomcat.max-connections=1000")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isEqualTo(900));
		this.contextRunner
			.withPropertyValues("server.tomcat.max-connections=1000", "realtime.limits.reserved-http-connections=50")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isEqualTo(950));
	}

	@Test
	void aNodeLimitThatLeavesTomcatTooFewConnectionsFailsTheStartup() {
		this.contextRunner.withPropertyValues("realtime.limits.max-connections=8192").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("realtime.limits.max-connections=8192")
				.hasMessageContaining("at most 7373")
				.hasMessageContaining("server.tomcat.max-connections=8192");
		});
		this.contextRunner.withPropertyValues("realtime.limits.max-connections=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void anExplicitNodeLimitWithinTomcatsIsTaken() {
		this.contextRunner.withPropertyValues("server.tomcat.max-connections=50", "realtime.limits.max-connections=40")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isEqualTo(40));
	}

	@Test
	void withoutTomcatOrOnNettyThereIsNoDefaultNodeLimit() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.catalina"))
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isZero());
		this.contextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isZero());
		this.contextRunner.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0",
				"realtime.limits.max-connections=20000")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections())
				.isEqualTo(20000));
	}

	@Test
	void tomcatWithoutALimitNeedsNoReserve() {
		this.contextRunner.withPropertyValues("server.tomcat.max-connections=-1")
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isZero());
	}

	@Test
	void appQuotasComeFromTheApps() {
		this.contextRunner
			.withPropertyValues("realtime.apps[0].id=1", "realtime.apps[0].key=k1", "realtime.apps[0].secret=s1",
					"realtime.apps[0].max-connections=1")
			.run((context) -> {
				ConnectionAdmission admission = context.getBean(ConnectionAdmission.class);
				App app = context.getBean(AppRegistry.class).findById("1");
				admission.admit(app, null, null);
				assertThatExceptionOfType(OverQuotaException.class).isThrownBy(() -> admission.admit(app, null, null));
			});
	}

	@Test
	void invalidTrustedProxiesFailTheStartup() {
		this.contextRunner.withPropertyValues("realtime.limits.trusted-proxies=proxy.internal").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("proxy.internal");
		});
	}

	@Test
	void perConnectionLimitsAreMappedAndABurstBelowTheChannelLimitFails() {
		this.contextRunner
			.withPropertyValues("realtime.limits.max-channels-per-connection=10", "realtime.limits.message-rate=7",
					"realtime.limits.message-burst=30", "realtime.limits.authorization-timeout=15s")
			.run((context) -> assertThat(context.getBean(ConnectionLimits.class))
				.isEqualTo(new ConnectionLimits(10, 7, 30, Duration.ofSeconds(15))));
		this.contextRunner.run((context) -> assertThat(context.getBean(ConnectionLimits.class))
			.isEqualTo(ConnectionLimits.defaults()));
		this.contextRunner.withPropertyValues("realtime.limits.message-burst=50").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("message-burst");
		});
	}

	@Test
	void aUserAdmissionWins() {
		this.contextRunner.withUserConfiguration(OwnAdmission.class)
			.run((context) -> assertThat(context.getBean(ConnectionAdmission.class).maxConnections()).isEqualTo(3));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdmission {

		@Bean
		ConnectionAdmission admission() {
			return new ConnectionAdmission(3, 0, 0, TrustedProxies.NONE);
		}

	}

}
