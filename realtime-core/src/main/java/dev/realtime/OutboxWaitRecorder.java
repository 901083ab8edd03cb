package dev.realtime;

/**
 * Told how long sampled frames waited in a connection's outbox: from the broadcast that
 * queued them to the moment the connection's writer took them for the transport. What a
 * subscriber's latency is made of on this node, apart from the network.
 * <p>
 * The hub samples one broadcast frame in {@value #SAMPLE_INTERVAL} per connection, so a
 * recorder sees a steady fraction of the deliveries at a cost the fan-out path does not
 * notice (one clock read per broadcast, one per sample). Frames sent to one connection
 * only (confirmations, pongs) are not sampled.
 */
@FunctionalInterface
public interface OutboxWaitRecorder {

	/** One frame in this many is sampled, per connection. */
	int SAMPLE_INTERVAL = 64;

	/**
	 * Record one sample. Called on the connection's writer thread (a transport's event
	 * loop, possibly): must be quick and never block.
	 * @param nanos how long the frame waited, in nanoseconds
	 */
	void record(long nanos);

}
