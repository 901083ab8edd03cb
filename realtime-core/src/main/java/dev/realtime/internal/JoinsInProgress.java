package dev.realtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What presence joins in progress took (holds on a channel's events, a subscription) and
 * must give back once the hub reports the join applied, by connection and channel: a
 * cluster presence directory's side of {@code PresenceDirectory.joined}.
 */
public final class JoinsInProgress {

	private final ConcurrentHashMap<String, List<Runnable>> pending = new ConcurrentHashMap<>();

	/**
	 * Remember what to give back once a join is done.
	 * @param channel the channel
	 * @param socketId the joining connection
	 * @param giveBack run once, in order, when {@link #done} is called for the join
	 */
	public void add(String channel, String socketId, Runnable... giveBack) {
		this.pending.merge(key(channel, socketId), List.of(giveBack), (first, second) -> {
			List<Runnable> both = new ArrayList<>(first.size() + second.size());
			both.addAll(first);
			both.addAll(second);
			return both;
		});
	}

	/**
	 * The join is done: give back what it took.
	 * @param channel the channel
	 * @param socketId the connection
	 */
	public void done(String channel, String socketId) {
		List<Runnable> giveBack = this.pending.remove(key(channel, socketId));
		if (giveBack != null) {
			giveBack.forEach(Runnable::run);
		}
	}

	private static String key(String channel, String socketId) {
		return socketId + '\n' + channel;
	}

}
