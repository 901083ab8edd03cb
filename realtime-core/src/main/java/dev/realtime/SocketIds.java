package dev.realtime;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Socket ids of the form {@code node.sequence} ({@code ^\d+\.\d+$}, as the protocol wants).
 * The node part is random per generator (one per hub), so ids stay unique across nodes
 * without coordination; the sequence part makes them unique within the node.
 */
public final class SocketIds implements Supplier<String> {

	private final String prefix;

	private final AtomicLong sequence = new AtomicLong();

	/** A generator with a random node part. */
	public SocketIds() {
		this(1_000_000_000L + new SecureRandom().nextInt(Integer.MAX_VALUE));
	}

	/**
	 * A generator with a fixed node part.
	 * @param node a non-negative node number, unique among the nodes
	 */
	public SocketIds(long node) {
		if (node < 0) {
			throw new IllegalArgumentException("node must not be negative, was " + node);
		}
		this.prefix = node + ".";
	}

	@Override
	public String get() {
		return this.prefix + this.sequence.incrementAndGet();
	}

}
