package dev.realtime.autoconfigure.rabbitmq;

import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.BroadcastRelay;
import dev.realtime.pusher.BroadcastThreads;
import dev.realtime.redis.RedisBroadcaster;
import dev.realtime.redis.RedisConnections;
import org.jspecify.annotations.Nullable;

/**
 * The Redis pub/sub beside RabbitMQ that carries only presence announcements: the
 * {@link dev.realtime.redis.RedisPresence} scripts publish {@code member_added} /
 * {@code member_removed} atomically with the roster change, and this node holds in Redis
 * only the presence channels it is joining (the presence directory acquires them). Kept
 * out of the bean factory as a {@code Broadcaster}, so the application's one broadcaster
 * stays the RabbitMQ one.
 */
final class RedisPresenceLink implements AutoCloseable {

	private final RedisBroadcaster broadcaster;

	private @Nullable BroadcastRelay relay;

	RedisPresenceLink(RedisConnections connections, BroadcastThreads threads) {
		this.broadcaster = new RedisBroadcaster(connections, threads.executor());
	}

	RedisBroadcaster broadcaster() {
		return this.broadcaster;
	}

	/** Hand the announcements to their app's hub on this node (once the hubs exist). */
	synchronized void relayTo(AppHubs hubs) {
		if (this.relay == null) {
			this.relay = new BroadcastRelay(this.broadcaster, hubs.defaultHub().hub(), (appId) -> {
				AppHub appHub = hubs.find(appId);
				return (appHub != null) ? appHub.hub() : null;
			});
		}
	}

	@Override
	public synchronized void close() {
		if (this.relay != null) {
			this.relay.close();
		}
		this.broadcaster.close();
	}

}
