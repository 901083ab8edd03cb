package dev.realtime.autoconfigure;

import dev.realtime.autoconfigure.health.RealtimeHealthContributorAutoConfiguration;
import dev.realtime.autoconfigure.metrics.RealtimeMetricsAutoConfiguration;
import dev.realtime.health.RealtimeHealthIndicator;
import dev.realtime.metrics.ConnectionMetrics;
import dev.realtime.metrics.EndpointTimers;
import dev.realtime.metrics.EndpointTimingFilter;
import dev.realtime.metrics.OutboxWaitTimer;
import dev.realtime.metrics.RealtimeMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the health and metrics auto-configurations.
 */
class RealtimeObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
				RealtimeHealthContributorAutoConfiguration.class, RealtimeMetricsAutoConfiguration.class));

	@Test
	void healthIndicatorNamedRealtimeIsUpWithCounts() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("realtimeHealthIndicator");
			var health = context.getBean(RealtimeHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("connections", 0)
				.containsEntry("channels", 0)
				.containsEntry("broadcaster", "MemoryBroadcaster");
		});
	}

	@Test
	void healthIsOutOfServiceOnceTheHubIsClosed() {
		this.contextRunner.run((context) -> {
			context.getBean(dev.realtime.Hub.class).close();
			assertThat(context.getBean(RealtimeHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void healthIndicatorBacksOffWithoutHealthSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeHealthIndicator.class));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.realtime.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeHealthIndicator.class));
	}

	@Test
	void metricsAreBound() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(RealtimeMetrics.class).bindTo(registry);
			assertThat(registry.get("realtime.connections").gauge().value()).isZero();
			assertThat(registry.get("realtime.messages.sent").functionCounter().count()).isZero();
			assertThat(registry.get("realtime.auth.denials").functionCounter()).isNotNull();
			assertThat(registry.get("realtime.messages.dropped").functionCounter()).isNotNull();
			context.getBean(dev.realtime.Hub.class).close();
			assertThat(registry.get("realtime.connections").gauge().value()).isZero();
		});
	}

	@Test
	void connectionCountersAndEndpointTimingNeedARegistry() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ConnectionMetrics.class)
			.doesNotHaveBean(EndpointTimingFilter.class));
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(EndpointTimingFilter.class));
	}

	@Test
	void theHubsSampleOutboxWaitsIntoATimerOnceItIsBound() {
		this.contextRunner.run((context) -> {
			OutboxWaitTimer timer = context.getBean(OutboxWaitTimer.class);
			assertThat(context.getBean(dev.realtime.HubConfig.class).outboxWaitRecorder()).isSameAs(timer);
			timer.record(1_000_000);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			timer.bindTo(registry);
			timer.record(2_000_000);
			assertThat(registry.get("realtime.outbox.wait").timer().count()).isOne();
		});
	}

	@Test
	void aRecorderOfTheApplicationsOwnReplacesTheOutboxWaitTimer() {
		dev.realtime.OutboxWaitRecorder mine = (nanos) -> {
		};
		this.contextRunner.withBean(dev.realtime.OutboxWaitRecorder.class, () -> mine)
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxWaitTimer.class)
				.getBean(dev.realtime.HubConfig.class)
				.extracting(dev.realtime.HubConfig::outboxWaitRecorder)
				.isSameAs(mine));
	}

	@Test
	void endpointTimersServeTheNettyPortWithoutAServletStack() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
					RealtimeMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(EndpointTimers.class)
				.doesNotHaveBean(EndpointTimingFilter.class));
	}

	@Test
	void connectionsClosedWithCodesNobodyUsesShareOneSeries() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			ConnectionMetrics metrics = context.getBean(ConnectionMetrics.class);
			metrics.bindTo(registry);
			for (int code = 3000; code < 3100; code++) {
				metrics.closed(null, code, java.util.Set.of()); // the connection is not read
			}
			metrics.closed(null, 4200, java.util.Set.of());
			assertThat(registry.find("realtime.connections.closed").counters()).hasSize(2);
			assertThat(registry.get("realtime.connections.closed").tag("code", "other").counter().count())
				.isEqualTo(100);
			assertThat(registry.get("realtime.connections.closed").tag("code", "4200").counter().count()).isOne();
		});
	}

	@Test
	void metricsBackOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeMetrics.class));
	}

	@Test
	void nothingWhenRealtimeIsDisabled() {
		this.contextRunner.withPropertyValues("realtime.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeMetrics.class)
				.doesNotHaveBean(RealtimeHealthIndicator.class));
	}

}
