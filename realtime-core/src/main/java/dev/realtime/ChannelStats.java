package dev.realtime;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers about channels for the whole application: one hub's view on a single node, the
 * sum over every node in a cluster. What the HTTP API's channel queries read.
 */
public interface ChannelStats {

	/**
	 * How many connections are subscribed to a channel.
	 * @param channel the channel
	 * @return the count, 0 for a channel nobody joined
	 */
	int subscriptionCount(String channel);

	/**
	 * The occupied channels with their subscription counts (internal channels left
	 * out).
	 * @return channel name to subscription count, sorted by name
	 */
	Map<String, Integer> occupiedChannels();

	/**
	 * The user ids of a presence channel's members.
	 * @param channel the presence channel
	 * @return the user ids, empty for an unoccupied or non-presence channel
	 */
	List<String> users(String channel);

	/**
	 * The statistics of one hub: right for a single node.
	 * @param hub the hub
	 * @return its statistics
	 */
	static ChannelStats of(Hub hub) {
		return new ChannelStats() {

			@Override
			public int subscriptionCount(String channel) {
				return hub.channelCount(channel);
			}

			@Override
			public Map<String, Integer> occupiedChannels() {
				Map<String, Integer> counts = new TreeMap<>();
				for (String channel : hub.channels()) {
					int count = hub.channelCount(channel);
					if (count > 0 && !ChannelType.classify(channel).isInternal()) {
						counts.put(channel, count);
					}
				}
				return counts;
			}

			@Override
			public List<String> users(String channel) {
				return hub.presence(channel).stream().map(Member::id).toList();
			}

		};
	}

}
