package dev.realtime.event;

import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the {@link ApplicationEventRelay}: {@code realtime.events.dropped}
 * (events dropped at a full queue) and {@code realtime.events.queued} (events waiting for
 * the listeners).
 */
public final class RealtimeEventMetrics implements MeterBinder {

	private final ApplicationEventRelay relay;

	/**
	 * Meters for a relay.
	 * @param relay the relay
	 */
	public RealtimeEventMetrics(ApplicationEventRelay relay) {
		this.relay = Objects.requireNonNull(relay, "relay");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("realtime.events.dropped", this.relay, ApplicationEventRelay::dropped)
			.description("Lifecycle events dropped because the listeners fell behind")
			.register(registry);
		Gauge.builder("realtime.events.queued", this.relay, ApplicationEventRelay::queued)
			.description("Lifecycle events waiting for the listeners")
			.register(registry);
	}

}
