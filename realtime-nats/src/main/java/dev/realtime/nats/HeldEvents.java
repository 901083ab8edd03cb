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

	/** Keep an event unless the gate opened meanwhile; false means deliver it now. */
	synchronized boolean keep(Event event) {
		if (this.open) {
			return false;
		}
		if (this.kept.size() < MAX_KEPT) {
			this.kept.add(event);
		}
		return true;
	}

	synchronized void open(Consumer<Event> deliver) {
		this.open = true;
		for (Event event : this.kept) {
			deliver.accept(event);
		}
		this.kept.clear();
	}

}
