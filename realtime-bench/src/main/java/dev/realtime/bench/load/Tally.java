package dev.realtime.bench.load;

import java.util.HashMap;
import java.util.Map;

/**
 * What a round delivered, summed over subscribers; per channel, the number of subscribers
 * (to compute what was expected).
 */
final class Tally {

	long unique;

	long received;

	long duplicates;

	long reordered;

	final Map<String, Integer> subscribersPerChannel = new HashMap<>();

	synchronized void add(String channel, long unique, long received, long duplicates, long reordered) {
		this.unique += unique;
		this.received += received;
		this.duplicates += duplicates;
		this.reordered += reordered;
		this.subscribersPerChannel.merge(channel, 1, Integer::sum);
	}

}
