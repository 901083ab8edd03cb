package dev.realtime.pusher;

import java.util.Objects;
import java.util.function.Consumer;

import dev.realtime.ChannelType;
import dev.realtime.Frame;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * What a new subscriber of a cache channel ({@code cache-*}, {@code private-cache-*},
 * {@code private-encrypted-cache-*}, {@code presence-cache-*}) is sent right after its
 * confirmation: the channel's last event from the {@link ChannelCache} (filled by
 * {@link Realtime} when events are published; in Redis with several nodes), or
 * {@code pusher:cache_miss} when there is none, in which case the miss listener (the
 * {@code cache_miss} webhook) is told.
 * <p>
 * The cache is read after the connection joined, so no event published meanwhile is
 * missed; one published in that instant may arrive twice (live, then replayed).
 */
public final class CacheChannels {

	private final ChannelCache cache;

	private final Consumer<String> missListener;

	/**
	 * Replay from the given cache.
	 * @param cache the last event of each cache channel
	 * @param missListener told the channel of each miss; must not block
	 */
	public CacheChannels(ChannelCache cache, Consumer<String> missListener) {
		this.cache = Objects.requireNonNull(cache, "cache");
		this.missListener = Objects.requireNonNull(missListener, "missListener");
	}

	/**
	 * What a new subscriber of a channel is sent after its confirmation.
	 * @param channel the channel
	 * @return the last event, or {@code pusher:cache_miss}; {@code null} if the channel is
	 * not a cache channel or the cache cannot be read (the subscriber gets no replay)
	 */
	public @Nullable Frame replay(String channel) {
		if (!ChannelType.classify(channel).isCache()) {
			return null;
		}
		Event last;
		try {
			last = this.cache.get(channel);
		}
		catch (RuntimeException ex) {
			// The shared store is unreachable: no replay rather than a false miss.
			return null;
		}
		if (last != null) {
			return PusherFrames.event(last.name(), channel, last.payload());
		}
		this.missListener.accept(channel);
		return PusherFrames.event(PusherEvents.CACHE_MISS, channel, "{}");
	}

}
