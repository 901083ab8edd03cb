package dev.realtime.autoconfigure.metrics;

import dev.realtime.Hub;
import dev.realtime.OutboxWaitRecorder;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.metrics.ConnectionMetrics;
import dev.realtime.metrics.EndpointTimers;
import dev.realtime.metrics.EndpointTimingFilter;
import dev.realtime.metrics.OutboxWaitTimer;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.ProtocolStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The realtime meters, when Micrometer is present (Spring Boot binds every
 * {@link MeterBinder} bean to its registries): the server's counters and gauges,
 * connections opened and closed by close code, the sampled outbox wait, and, with a
 * {@link MeterRegistry}, latency histograms of the auth endpoints and the HTTP API's
 * publish requests (on the application's port and the Netty transport's). With {@code micrometer-registry-prometheus} they are all on
 * {@code /actuator/prometheus}.
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ Hub.class, Broadcaster.class, ProtocolStats.class })
public final class RealtimeMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RealtimeMetrics realtimeMetrics(Hub hub, Broadcaster broadcaster, ProtocolStats stats,
			ObjectProvider<ConnectionAdmission> admission) {
		return new RealtimeMetrics(hub, broadcaster, stats, admission.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionMetrics realtimeConnectionMetrics() {
		return new ConnectionMetrics();
	}

	@Bean
	@ConditionalOnMissingBean(OutboxWaitRecorder.class)
	OutboxWaitTimer realtimeOutboxWaitTimer() {
		return new OutboxWaitTimer();
	}

	/**
	 * Latency histograms of the HTTP endpoints, on the application's port and the Netty
	 * transport's.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(MeterRegistry.class)
	static class EndpointTimingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EndpointTimers realtimeEndpointTimers(MeterRegistry registry, RealtimeProperties properties) {
			return new EndpointTimers(registry, properties.getAuth().getPath(), properties.getAuth().getUserPath());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		@ConditionalOnClass(OncePerRequestFilter.class)
		EndpointTimingFilter realtimeEndpointTimingFilter(EndpointTimers timers) {
			return new EndpointTimingFilter(timers);
		}

	}

}
