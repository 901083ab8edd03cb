package dev.realtime.broadcast;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the last event published on each cache channel ({@code cache-},
 * {@code private-cache-}, {@code private-encrypted-cache-}, {@code presence-cache-}) for a
 * while, so it can be given to each new subscriber: one node's memory, or a store shared
 * by the cluster.
 */
public interface ChannelCache {

	/**
	 * Remember an event as its channel's last one.
	 * @param event the event
	 */
	void put(Event event);

	/**
	 * The last event of a channel, if still kept.
	 * @param channel the channel
	 * @return the event, or {@code null} when none was published within the time to live
	 */
	@Nullable Event get(String channel);

}
