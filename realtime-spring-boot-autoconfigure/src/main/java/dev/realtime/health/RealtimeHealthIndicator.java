package dev.realtime.health;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.pusher.PusherConnections;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the realtime server: up while the hub and the broadcaster accept work, with
 * the connection and channel counts and the broadcaster's drops as details.
 */
public class RealtimeHealthIndicator extends AbstractHealthIndicator {

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final PusherConnections connections;

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
	}

}
