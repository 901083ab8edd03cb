package dev.realtime.nats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.realtime.broadcast.Event;

/**
 * The events of one channel held back while a presence join is in progress on this node;
 * holders counted under the owning map's bin lock.
 */
final class HeldEvents {

	private static final int MAX_KEPT = 10_000;

	private final List<Event> kept = new ArrayList<>();

	int holders;

	private boolean open;

	/** What became of an event offered to a held channel. */
	enum Outcome {

		/** Kept, delivered on release. */
		KEPT,

		/** The gate had opened meanwhile: deliver it now. */
		OPEN,

		/** Too many kept already: deliver it now, out of order, and count it. */
		FULL

	}

	synchronized Outcome keep(Event event) {
		if (this.open) {
			return Outcome.OPEN;
		}
		if (this.kept.size() >= MAX_KEPT) {
			return Outcome.FULL;
		}
		this.kept.add(event);
		return Outcome.KEPT;
	}

	synchronized void open(Consumer<Event> deliver) {
		this.open = true;
		for (Event event : this.kept) {
			deliver.accept(event);
		}
		this.kept.clear();
	}

}
