package dev.realtime.metrics;

import java.util.function.ToDoubleFunction;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.pusher.ProtocolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the realtime server, read from the counters the hub, the
 * broadcaster and the protocol keep anyway (nothing is counted twice on the hot path).
 */
public class RealtimeMetrics implements MeterBinder {

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final ProtocolStats stats;

	/**
	 * Create the binder.
	 * @param hub the hub
	 * @param broadcaster the broadcaster
	 * @param stats the protocol's counters
	 */
	public RealtimeMetrics(Hub hub, Broadcaster broadcaster, ProtocolStats stats) {
		this.hub = hub;
		this.broadcaster = broadcaster;
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("realtime.connections", this.hub, whileOpen(Hub::count))
			.description("Open connections on this node")
			.register(registry);
		Gauge.builder("realtime.channels", this.hub, whileOpen((hub) -> hub.channels().size()))
			.description("Occupied channels on this node")
			.register(registry);
		Gauge.builder("realtime.subscriptions", this.hub, whileOpen(RealtimeMetrics::subscriptions))
			.description("Channel subscriptions on this node")
			.register(registry);
		counter(registry, "realtime.messages.received", "Messages received from clients", this.stats,
				ProtocolStats::messagesReceived);
		counter(registry, "realtime.messages.sent", "Messages written to clients", this.stats,
				ProtocolStats::messagesSent);
		counter(registry, "realtime.bytes.received", "Bytes received from clients", this.stats,
				ProtocolStats::bytesReceived);
		counter(registry, "realtime.bytes.sent", "Bytes written to clients", this.stats, ProtocolStats::bytesSent);
		counter(registry, "realtime.messages.dropped", "Messages dropped because a client's queue was full", this.hub,
				Hub::dropped);
		counter(registry, "realtime.broadcaster.dropped", "Events the broadcaster could not buffer",
				this.broadcaster, Broadcaster::dropped);
		counter(registry, "realtime.slow.consumer.disconnects", "Connections closed for being too slow", this.hub,
				Hub::slowConsumerDisconnects);
		counter(registry, "realtime.auth.denials", "Refused channel authorizations and sign-ins", this.stats,
				ProtocolStats::authDenials);
		counter(registry, "realtime.client.events.rejected", "Client events refused", this.stats,
				ProtocolStats::clientEventsRejected);
		counter(registry, "realtime.errors", "pusher:error messages sent to clients", this.stats,
				ProtocolStats::errors);
	}

	private static <T> void counter(MeterRegistry registry, String name, String description, T source,
			ToDoubleFunction<T> count) {
		FunctionCounter.builder(name, source, count).description(description).register(registry);
	}

	/** Reading a closed hub throws; report 0 instead while the application shuts down. */
	private static ToDoubleFunction<Hub> whileOpen(ToDoubleFunction<Hub> value) {
		return (hub) -> hub.isClosed() ? 0 : value.applyAsDouble(hub);
	}

	private static int subscriptions(Hub hub) {
		int total = 0;
		for (String channel : hub.channels()) {
			total += hub.channelCount(channel);
		}
		return total;
	}

}
