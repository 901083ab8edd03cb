package dev.realtime.autoconfigure;

import dev.realtime.Hub;
import dev.realtime.event.ApplicationEventRelay;
import dev.realtime.event.RealtimeEventMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lifecycle events for {@code @EventListener}s: the {@link ApplicationEventRelay} hears
 * the protocol's connections and the hub's presence rosters and publishes through the
 * application context; with Micrometer, its meters.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "realtime.events.enabled", matchIfMissing = true)
final class RealtimeEventsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApplicationEventRelay realtimeApplicationEventRelay(ApplicationEventPublisher publisher, Hub hub,
			RealtimeProperties properties) {
		ApplicationEventRelay relay = new ApplicationEventRelay(publisher, properties.getEvents().getQueueCapacity());
		hub.onPresence(relay);
		return relay;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class RealtimeEventMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "realtimeEventMetrics")
		MeterBinder realtimeEventMetrics(ApplicationEventRelay relay) {
			return new RealtimeEventMetrics(relay);
		}

	}

}
