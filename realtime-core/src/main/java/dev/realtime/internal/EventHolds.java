package dev.realtime.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.realtime.broadcast.Event;

/**
 * The incoming events of channels held back while presence joins are in progress on this
 * node, for a cluster broadcaster: a join reads the cluster roster and makes the newcomer
 * a subscriber, and no announcement may slip between the two.
 * <p>
 * Each hold remembers how many of its channel's events had arrived when it was taken. An
 * arriving event is kept while holds are up (they may have read the roster before it); a
 * release delivers, in order, every kept event older than the oldest hold still up. So an
 * event waits only for the joins that began before it, and joins that keep overlapping
 * never keep a channel shut, which a count of holders did. At most {@code maxKept} events
 * are kept per channel: beyond, the oldest is delivered at once (a joiner in progress may
 * miss it) and reported as an overflow. Never blocks; deliveries happen on the thread that
 * offers or releases, in each channel's order.
 */
public final class EventHolds {

	private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

	private final Consumer<Event> deliver;

	private final int maxKept;

	private final Runnable overflowed;

	/**
	 * Holds delivering to a consumer.
	 * @param deliver where events go once no earlier hold keeps them back
	 * @param maxKept most events kept per channel
	 * @param overflowed told each time an event is delivered early because the channel
	 * had {@code maxKept} kept
	 */
	public EventHolds(Consumer<Event> deliver, int maxKept, Runnable overflowed) {
		this.deliver = Objects.requireNonNull(deliver, "deliver");
		this.maxKept = maxKept;
		this.overflowed = Objects.requireNonNull(overflowed, "overflowed");
	}

	/**
	 * Hold back a channel's events from now until the hold is released.
	 * @param channel the channel
	 * @return the hold, to release exactly once (later calls do nothing)
	 */
	public Hold hold(String channel) {
		Hold[] hold = new Hold[1];
		this.gates.compute(channel, (key, gate) -> {
			Gate held = (gate != null) ? gate : new Gate();
			hold[0] = new Hold(this, channel, held.arrived);
			held.holds.add(hold[0]);
			return held;
		});
		return hold[0];
	}

	/**
	 * An event arrived: delivered now, or kept behind the holds up on its channel.
	 * @param event the event
	 */
	public void offer(Event event) {
		if (this.gates.computeIfPresent(event.channel(), (key, gate) -> {
			gate.keep(event);
			return gate;
		}) == null) {
			this.deliver.accept(event);
		}
	}

	private void release(Hold hold) {
		this.gates.computeIfPresent(hold.channel, (key, gate) -> {
			gate.holds.remove(hold);
			gate.deliverUnheld();
			return (gate.holds.isEmpty() && gate.kept.isEmpty()) ? null : gate;
		});
	}

	/** A {@link #hold} on one channel's incoming events. */
	public static final class Hold {

		private final EventHolds holds;

		private final String channel;

		/** How many events of the channel had arrived when the hold was taken. */
		private final long start;

		private final AtomicBoolean released = new AtomicBoolean();

		private Hold(EventHolds holds, String channel, long start) {
			this.holds = holds;
			this.channel = channel;
			this.start = start;
		}

		/** Give the hold up; what no earlier hold keeps back is delivered. Idempotent. */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				this.holds.release(this);
			}
		}

	}

	/**
	 * The kept events of one channel and the holds on it; touched only inside the gates
	 * map's compute for the channel, so it needs no lock of its own.
	 */
	private final class Gate {

		/** Holds in the order taken, so with non-decreasing starts: the first is the oldest. */
		private final Set<Hold> holds = new LinkedHashSet<>();

		private final ArrayDeque<Kept> kept = new ArrayDeque<>();

		/** Events of the channel that arrived since the gate exists; numbers them. */
		private long arrived;

		void keep(Event event) {
			if (this.kept.size() >= EventHolds.this.maxKept) {
				// Bounded: the oldest goes now rather than being lost.
				EventHolds.this.deliver.accept(this.kept.poll().event());
				EventHolds.this.overflowed.run();
			}
			this.kept.add(new Kept(event, this.arrived++));
		}

		/** Deliver, in order, the events that arrived before the oldest hold still up. */
		void deliverUnheld() {
			long bound = this.holds.isEmpty() ? Long.MAX_VALUE : this.holds.iterator().next().start;
			while (!this.kept.isEmpty() && this.kept.peek().sequence() < bound) {
				EventHolds.this.deliver.accept(this.kept.poll().event());
			}
		}

	}

	private record Kept(Event event, long sequence) {
	}

}
