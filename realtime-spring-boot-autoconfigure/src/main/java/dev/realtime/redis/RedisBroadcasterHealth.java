package dev.realtime.redis;

import java.util.function.Supplier;

import dev.realtime.broadcast.Broadcaster;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the Redis broadcaster's state, for a health indicator or metrics.
 *
 * @param up whether every Redis connection is open
 * @param lastError the last connection or command failure, or {@code null}
 * @param reconnects how many times a connection came back after being lost
 * @param published events written to Redis
 * @param batches pipelined writes of those events (one flush each)
 * @param received events received from other nodes
 * @param remoteDropped events that could not be sent to the other nodes
 * @param malformed messages from Redis skipped as not understood
 * @param queued events waiting to be written to Redis
 * @param holdOverflows events let past a presence join's hold early because the hold was full
 */
public record RedisBroadcasterHealth(boolean up, @Nullable String lastError, long reconnects, long published,
		long batches, long received, long remoteDropped, long malformed, int queued, long holdOverflows) {

	/**
	 * Where to read the health of a broadcaster if it is a {@link RedisBroadcaster}. Only
	 * call it when Lettuce is on the class path.
	 * @param broadcaster any broadcaster
	 * @return a source of snapshots, or {@code null} for another kind of broadcaster
	 */
	public static @Nullable Supplier<RedisBroadcasterHealth> sourceOf(Broadcaster broadcaster) {
		return (broadcaster instanceof RedisBroadcaster redis) ? redis::health : null;
	}

}
