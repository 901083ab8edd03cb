package dev.realtime.nats;

import java.util.function.Supplier;

import dev.realtime.broadcast.Broadcaster;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the NATS broadcaster's state, for a health indicator or metrics.
 *
 * @param up whether the connection is open and the buckets were checked
 * @param lastError the last connection or request failure, or {@code null}
 * @param reconnects how many times the connection came back after being lost
 * @param published events written to NATS
 * @param received events received from other nodes
 * @param remoteDropped events that could not be sent to the other nodes
 * @param malformed messages skipped as not understood
 * @param queued events waiting to be written to NATS
 */
public record NatsBroadcasterHealth(boolean up, @Nullable String lastError, long reconnects, long published,
		long received, long remoteDropped, long malformed, int queued) {

	/**
	 * Where to read the health of a broadcaster if it is a {@link NatsBroadcaster}. Only
	 * call it when jnats is on the class path.
	 * @param broadcaster any broadcaster
	 * @return a source of snapshots, or {@code null} for another kind of broadcaster
	 */
	public static @Nullable Supplier<NatsBroadcasterHealth> sourceOf(Broadcaster broadcaster) {
		return (broadcaster instanceof NatsBroadcaster nats) ? nats::health : null;
	}

}
