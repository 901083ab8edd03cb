package dev.realtime.metrics;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.pusher.ConnectionAdmission;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.redis.RedisBroadcasterHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Micrometer meters of the realtime server, read from the counters the hub, the
 * broadcaster and the protocol keep anyway (nothing is counted twice on the hot path).
 * With the Redis broadcaster, also its {@code realtime.redis.*} meters; with the NATS or
 * RabbitMQ broadcaster, the same meters as {@code realtime.nats.*} or {@code realtime.rabbitmq.*}.
 */
public class RealtimeMetrics implements MeterBinder {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RealtimeMetrics.class.getClassLoader());

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final ProtocolStats stats;

	private final @Nullable ConnectionAdmission admission;

	/**
	 * Create the binder.
	 * @param hub the hub
	 * @param broadcaster the broadcaster
	 * @param stats the protocol's counters
	 * @param admission the admission's counters, or {@code null} if there is none
	 */
	public RealtimeMetrics(Hub hub, Broadcaster broadcaster, ProtocolStats stats,
			@Nullable ConnectionAdmission admission) {
		this.hub = hub;
		this.broadcaster = broadcaster;
		this.stats = stats;
		this.admission = admission;
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
		counter(registry, "realtime.pongs.dropped", "Pongs not sent to clients that did not read", this.stats,
				ProtocolStats::pongsDropped);
		counter(registry, "realtime.messages.rate.limited",
				"Client messages dropped because their connection exceeded its message rate", this.stats,
				ProtocolStats::messagesRateLimited);
		counter(registry, "realtime.flood.disconnects",
				"Connections closed (4301) for going on sending far more than their message rate", this.stats,
				ProtocolStats::floodDisconnects);
		counter(registry, "realtime.authorization.timeouts",
				"Connections closed (4009) for not authorizing within the authorization timeout", this.stats,
				ProtocolStats::authorizationTimeouts);
		ConnectionAdmission admission = this.admission;
		if (admission != null) {
			bindAdmission(registry, admission);
		}
		@Nullable Supplier<RedisBroadcasterHealth> redis = LETTUCE_PRESENT ? RedisBroadcasterHealth.sourceOf(this.broadcaster)
				: null;
		if (redis != null) {
			bindRedis(registry, redis);
		}
		ClassLoader classLoader = RealtimeMetrics.class.getClassLoader();
		if (ClassUtils.isPresent("dev.realtime.nats.NatsBroadcasterHealth", classLoader)) {
			bindEngine(registry, "nats", "NATS", NatsCounters.of(this.broadcaster));
		}
		if (ClassUtils.isPresent("dev.realtime.rabbitmq.RabbitBroadcasterHealth", classLoader)) {
			bindEngine(registry, "rabbitmq", "RabbitMQ", RabbitCounters.of(this.broadcaster));
		}
	}

	private static void bindEngine(MeterRegistry registry, String name, String server,
			@Nullable Supplier<EngineCounters> engine) {
		if (engine == null) {
			return;
		}
		String prefix = "realtime." + name + ".";
		Gauge.builder(prefix + "up", engine, (source) -> source.get().up() ? 1 : 0)
			.description("Whether this node's " + server + " connection is up (1) or not (0)")
			.register(registry);
		counter(registry, prefix + "published", "Events this node published to " + server, engine,
				(source) -> source.get().published());
		counter(registry, prefix + "received", "Events this node received from other nodes", engine,
				(source) -> source.get().received());
		counter(registry, prefix + "remote.dropped",
				"Events that could not be sent to the other nodes (queue full or " + server + " unreachable)", engine,
				(source) -> source.get().remoteDropped());
		counter(registry, prefix + "malformed", "Messages from " + server + " skipped as not understood", engine,
				(source) -> source.get().malformed());
		counter(registry, prefix + "reconnects", "Times the " + server + " connection came back after being lost",
				engine, (source) -> source.get().reconnects());
	}

	private static void bindAdmission(MeterRegistry registry, ConnectionAdmission admission) {
		for (ConnectionAdmission.Refusal refusal : ConnectionAdmission.Refusal.values()) {
			FunctionCounter.builder("realtime.connections.refused", admission, (source) -> source.refused(refusal))
				.description("Connections refused before connection_established, by the limit they met")
				.tag("reason", refusal.name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.register(registry);
		}
		Gauge.builder("realtime.connections.tracked.addresses", admission, ConnectionAdmission::trackedAddresses)
			.description("Client addresses the per-address limits track now")
			.register(registry);
	}

	private static void bindRedis(MeterRegistry registry, Supplier<RedisBroadcasterHealth> redis) {
		Gauge.builder("realtime.redis.up", redis, (source) -> source.get().up() ? 1 : 0)
			.description("Whether this node's Redis connections are open (1) or not (0)")
			.register(registry);
		counter(registry, "realtime.redis.published", "Events this node published to Redis", redis,
				(source) -> source.get().published());
		counter(registry, "realtime.redis.received", "Events this node received from other nodes", redis,
				(source) -> source.get().received());
		counter(registry, "realtime.redis.remote.dropped",
				"Events that could not be sent to the other nodes (queue full or Redis unreachable)", redis,
				(source) -> source.get().remoteDropped());
		counter(registry, "realtime.redis.malformed", "Messages from Redis skipped as not understood", redis,
				(source) -> source.get().malformed());
		counter(registry, "realtime.redis.hold.overflows",
				"Events let past a presence join's hold early because it was full (the joining connection may miss them)",
				redis, (source) -> source.get().holdOverflows());
		counter(registry, "realtime.redis.reconnects", "Times a Redis connection came back after being lost", redis,
				(source) -> source.get().reconnects());
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

	/** What the NATS and RabbitMQ meters read, whichever engine it is. */
	private record EngineCounters(boolean up, long published, long received, long remoteDropped, long malformed,
			long reconnects) {
	}

	/** Kept apart so that the NATS engine is only loaded when it is present. */
	private static final class NatsCounters {

		static @Nullable Supplier<EngineCounters> of(Broadcaster broadcaster) {
			Supplier<dev.realtime.nats.NatsBroadcasterHealth> source = dev.realtime.nats.NatsBroadcasterHealth
				.sourceOf(broadcaster);
			if (source == null) {
				return null;
			}
			return () -> {
				dev.realtime.nats.NatsBroadcasterHealth health = source.get();
				return new EngineCounters(health.up(), health.published(), health.received(), health.remoteDropped(),
						health.malformed(), health.reconnects());
			};
		}

	}

	/** Kept apart so that the RabbitMQ engine is only loaded when it is present. */
	private static final class RabbitCounters {

		static @Nullable Supplier<EngineCounters> of(Broadcaster broadcaster) {
			Supplier<dev.realtime.rabbitmq.RabbitBroadcasterHealth> source = dev.realtime.rabbitmq.RabbitBroadcasterHealth
				.sourceOf(broadcaster);
			if (source == null) {
				return null;
			}
			return () -> {
				dev.realtime.rabbitmq.RabbitBroadcasterHealth health = source.get();
				return new EngineCounters(health.up(), health.published(), health.received(), health.remoteDropped(),
						health.malformed(), health.reconnects());
			};
		}

	}

}
