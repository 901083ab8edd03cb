package dev.realtime.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.redis.RedisBroadcasterHealth;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.ClassUtils;

/**
 * Health of the realtime server: up while the hub and the broadcaster accept work, with
 * the connection and channel counts and the broadcaster's drops as details.
 * <p>
 * With the Redis broadcaster, the {@code redis} detail shows its connection state, last
 * error, reconnects and the events it could not send to the other nodes, and the status is
 * {@code DOWN} while Redis is unreachable: this node still serves its own connections, but
 * events no longer cross nodes and presence is per node, a failure rather than a deliberate
 * removal from service ({@code OUT_OF_SERVICE} is kept for a closed hub, at shutdown).
 * The NATS and RabbitMQ broadcasters add a {@code nats} or {@code rabbitmq} detail of the
 * same shape, with the same effect on the status.
 */
public class RealtimeHealthIndicator extends AbstractHealthIndicator {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RealtimeHealthIndicator.class.getClassLoader());

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final PusherConnections connections;

	private final @Nullable Supplier<RedisBroadcasterHealth> redis;

	private final @Nullable Engine engine;

	/**
	 * Create an indicator.
	 * @param hub the hub
	 * @param broadcaster the broadcaster
	 * @param connections this node's Pusher connections
	 */
	public RealtimeHealthIndicator(Hub hub, Broadcaster broadcaster, PusherConnections connections) {
		super("Realtime health check failed");
		this.hub = hub;
		this.broadcaster = broadcaster;
		this.connections = connections;
		this.redis = LETTUCE_PRESENT ? RedisBroadcasterHealth.sourceOf(broadcaster) : null;
		this.engine = Engine.of(broadcaster);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("broadcaster", this.broadcaster.getClass().getSimpleName())
			.withDetail("broadcasterDropped", this.broadcaster.dropped());
		if (this.hub.isClosed()) {
			builder.outOfService().withDetail("hub", "closed");
			return;
		}
		if (this.broadcaster instanceof MemoryBroadcaster memory && memory.isClosed()) {
			builder.outOfService().withDetail("broadcasterState", "closed");
			return;
		}
		builder.up()
			.withDetail("connections", this.connections.size())
			.withDetail("channels", this.hub.channels().size())
			.withDetail("dropped", this.hub.dropped());
		if (this.redis != null) {
			RedisBroadcasterHealth redis = this.redis.get();
			builder.withDetail("redis", redisDetails(redis));
			if (!redis.up()) {
				builder.down();
			}
		}
		if (this.engine != null) {
			Map<String, Object> details = this.engine.details().get();
			builder.withDetail(this.engine.name(), details);
			if (!"UP".equals(details.get("status"))) {
				builder.down();
			}
		}
	}

	private static Map<String, Object> redisDetails(RedisBroadcasterHealth redis) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", redis.up() ? "UP" : "DOWN");
		if (redis.lastError() != null) {
			details.put("lastError", redis.lastError());
		}
		details.put("reconnects", redis.reconnects());
		details.put("published", redis.published());
		details.put("received", redis.received());
		details.put("remoteDropped", redis.remoteDropped());
		details.put("malformed", redis.malformed());
		details.put("queued", redis.queued());
		details.put("holdOverflows", redis.holdOverflows());
		return details;
	}

	/**
	 * The NATS or RabbitMQ engine's detail, read only when that engine is on the class path.
	 */
	private record Engine(String name, Supplier<Map<String, Object>> details) {

		private static final ClassLoader LOADER = RealtimeHealthIndicator.class.getClassLoader();

		static @Nullable Engine of(Broadcaster broadcaster) {
			if (ClassUtils.isPresent("dev.realtime.nats.NatsBroadcasterHealth", LOADER)) {
				Engine nats = Nats.of(broadcaster);
				if (nats != null) {
					return nats;
				}
			}
			if (ClassUtils.isPresent("dev.realtime.rabbitmq.RabbitBroadcasterHealth", LOADER)) {
				return Rabbit.of(broadcaster);
			}
			return null;
		}

		static Map<String, Object> details(boolean up, @Nullable String lastError, long reconnects, long published,
				long received, long remoteDropped, long malformed, int queued) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", up ? "UP" : "DOWN");
			if (lastError != null) {
				details.put("lastError", lastError);
			}
			details.put("reconnects", reconnects);
			details.put("published", published);
			details.put("received", received);
			details.put("remoteDropped", remoteDropped);
			details.put("malformed", malformed);
			details.put("queued", queued);
			return details;
		}

	}

	private static final class Nats {

		static @Nullable Engine of(Broadcaster broadcaster) {
			Supplier<dev.realtime.nats.NatsBroadcasterHealth> source = dev.realtime.nats.NatsBroadcasterHealth
				.sourceOf(broadcaster);
			if (source == null) {
				return null;
			}
			return new Engine("nats", () -> {
				dev.realtime.nats.NatsBroadcasterHealth health = source.get();
				return Engine.details(health.up(), health.lastError(), health.reconnects(), health.published(),
						health.received(), health.remoteDropped(), health.malformed(), health.queued());
			});
		}

	}

	private static final class Rabbit {

		static @Nullable Engine of(Broadcaster broadcaster) {
			Supplier<dev.realtime.rabbitmq.RabbitBroadcasterHealth> source = dev.realtime.rabbitmq.RabbitBroadcasterHealth
				.sourceOf(broadcaster);
			if (source == null) {
				return null;
			}
			return new Engine("rabbitmq", () -> {
				dev.realtime.rabbitmq.RabbitBroadcasterHealth health = source.get();
				Map<String, Object> details = Engine.details(health.up() && health.presenceStoreUp(), health.lastError(),
						health.reconnects(), health.published(), health.received(), health.remoteDropped(),
						health.malformed(), health.queued());
				details.put("broker", health.up() ? "UP" : "DOWN");
				details.put("presenceStore", health.presenceStoreUp() ? "UP" : "DOWN");
				return details;
			});
		}

	}

}
