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
 */
public class RealtimeHealthIndicator extends AbstractHealthIndicator {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RealtimeHealthIndicator.class.getClassLoader());

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final PusherConnections connections;

	private final @Nullable Supplier<RedisBroadcasterHealth> redis;

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

}
