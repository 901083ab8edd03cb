package dev.realtime.bench.load;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node crash in the middle of a steady fan-out: three nodes, subscribers of one channel
 * spread over them, presence members on the third; events are published to the first at a
 * moderate rate while the third is killed with {@code kill -9}. Measures how long the
 * killed node's members stay in the survivors' roster (a member on the first node waits for
 * their {@code member_removed}; the node TTL bounds it) and whether the subscribers on the
 * survivors lost anything in that round.
 */
final class NodeKill {

	static final String CHANNEL = "presence-kill";

	/** When in the round the node dies: the round is steady by then. */
	private static final long KILL_AFTER_MILLIS = 2000;

	private NodeKill() {
	}

	/**
	 * What the kill did.
	 * @param members presence members on the killed node
	 * @param removed how many of them the survivor saw removed
	 * @param firstRemovedMillis the first member_removed after the kill, ms
	 * @param lastRemovedMillis the last one, ms (NaN if none)
	 * @param survivorMemberKept the member on the second node was not removed
	 * @param survivorSubscribers subscribers on the two survivors
	 * @param killedSubscribers subscribers on the killed node (not accounted for)
	 * @param survivors the round, accounted for the survivors' subscribers only
	 */
	record Result(int members, int removed, double firstRemovedMillis, double lastRemovedMillis,
			boolean survivorMemberKept, int survivorSubscribers, int killedSubscribers, Results.Round survivors) {
	}

	/**
	 * Run it: {@code nodes[2]} is killed, {@code publisher} publishes to {@code nodes[0]}.
	 * @param ttlMillis the nodes' TTL, to bound the wait for the removals
	 */
	static Result run(Scenarios scenarios, ServerProcess[] nodes, Protocol[] protocols, Publisher publisher,
			int subscribers, int members, int rate, int seconds, long ttlMillis) throws Exception {
		try (SubscriberPool survivors = new SubscriberPool(1, false);
				SubscriberPool killed = new SubscriberPool(1, false);
				SubscriberPool presence = new SubscriberPool(1, false)) {
			int perNode = subscribers / 3;
			survivors.connect(protocols[0], Collections.nCopies(perNode, "bench-0"));
			survivors.connect(protocols[1], Collections.nCopies(perNode, "bench-0"));
			killed.connect(protocols[2], Collections.nCopies(subscribers - 2 * perNode, "bench-0"));
			PresenceWatch watch = new PresenceWatch(protocols[0]);
			presence.connect(watch, List.of(CHANNEL));
			// a member on a survivor, which must stay in the roster
			presence.connect(protocols[1], List.of(CHANNEL));
			String survivorMember = PresenceWatch.userId(presence.subscribers().get(1));
			killed.connect(protocols[2], Collections.nCopies(members, CHANNEL));
			List<String> doomed = killed.subscribers()
				.stream()
				.filter((subscriber) -> subscriber.channelName().equals(CHANNEL))
				.map(PresenceWatch::userId)
				.toList();
			Thread.sleep(1500);
			AtomicLong killedAt = new AtomicLong();
			Thread killer = new Thread(() -> {
				try {
					Thread.sleep(KILL_AFTER_MILLIS);
					killedAt.set(System.nanoTime());
					nodes[2].kill();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "kill-9");
			killer.start();
			Results.Round round = scenarios.round(1, rate, publisher, new ServerProcess[] { nodes[0], nodes[1] },
					survivors, seconds);
			killer.join();
			// the TTL bounds the removal at about 4/3 of it; wait a good deal longer before giving up
			long deadline = killedAt.get() + TimeUnit.MILLISECONDS.toNanos(ttlMillis * 3 + 5000);
			Map<String, Long> removed = watch.removed();
			while (System.nanoTime() < deadline && !removed.keySet().containsAll(doomed)) {
				Thread.sleep(50);
			}
			List<Double> after = doomed.stream()
				.filter(removed::containsKey)
				.map((user) -> (removed.get(user) - killedAt.get()) / 1e6)
				.sorted()
				.toList();
			return new Result(doomed.size(), after.size(), after.isEmpty() ? Double.NaN : after.get(0),
					after.isEmpty() ? Double.NaN : after.get(after.size() - 1), !removed.containsKey(survivorMember),
					survivors.size(), subscribers - 2 * perNode, round);
		}
	}

}
