package dev.realtime.autoconfigure.metrics;

import dev.realtime.Hub;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.ProtocolStats;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The realtime meters, when Micrometer is present (Spring Boot binds every
 * {@link MeterBinder} bean to its registries).
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ Hub.class, Broadcaster.class, ProtocolStats.class })
public final class RealtimeMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RealtimeMetrics realtimeMetrics(Hub hub, Broadcaster broadcaster, ProtocolStats stats,
			ObjectProvider<ConnectionAdmission> admission) {
		return new RealtimeMetrics(hub, broadcaster, stats, admission.getIfAvailable());
	}

}
