package dev.realtime.rabbitmq;

import java.util.function.Supplier;

import dev.realtime.broadcast.Broadcaster;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the RabbitMQ broadcaster's state, for a health indicator or metrics.
 *
 * @param up whether the connection is open, the queue declared and the consumer running
 * @param presenceStoreUp whether the store that holds presence beside RabbitMQ (Redis) is
 * reachable
 * @param lastError the last connection or declaration failure, or {@code null}
 * @param reconnects how many times a new connection replaced a lost one
 * @param published events written to RabbitMQ
 * @param received events received from other nodes
 * @param remoteDropped events that could not be sent to the other nodes
 * @param malformed messages skipped as not understood
 * @param queued events waiting to be written to RabbitMQ
 */
public record RabbitBroadcasterHealth(boolean up, boolean presenceStoreUp, @Nullable String lastError, long reconnects, long published,
		long received, long remoteDropped, long malformed, int queued) {

	/**
	 * Where to read the health of a broadcaster if it is a {@link RabbitBroadcaster}. Only
	 * call it when Spring AMQP is on the class path.
	 * @param broadcaster any broadcaster
	 * @return a source of snapshots, or {@code null} for another kind of broadcaster
	 */
	public static @Nullable Supplier<RabbitBroadcasterHealth> sourceOf(Broadcaster broadcaster) {
		return (broadcaster instanceof RabbitBroadcaster rabbit) ? rabbit::health : null;
	}

}
