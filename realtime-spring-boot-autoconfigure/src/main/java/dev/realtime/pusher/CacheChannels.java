package dev.realtime.pusher;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import dev.realtime.ChannelType;
import dev.realtime.Frame;
import org.jspecify.annotations.Nullable;

/**
 * The last event of each cache channel ({@code cache-*}, {@code private-cache-*}, ...),
 * replayed to each new subscriber; a subscriber of a channel with no recent event is told
 * {@code pusher:cache_miss} instead. Events are kept for {@link #TTL}, as Pusher does.
 * <p>
 * Kept per node, from the events the broadcaster delivers to this node.
 */
public final class CacheChannels {

	/** How long an event stays cached. */
	public static final Duration TTL = Duration.ofMinutes(30);

	/** Above this many cached channels, expired entries are purged on the next store. */
	private static final int PURGE_THRESHOLD = 10_000;

	private final ConcurrentHashMap<String, Cached> lastEvents = new ConcurrentHashMap<>();

	private final long ttlNanos;

	/** A cache with the default time to live. */
	public CacheChannels() {
		this(TTL);
	}

	CacheChannels(Duration ttl) {
		this.ttlNanos = ttl.toNanos();
	}

	/**
	 * Remember an event if its channel is a cache channel.
	 * @param channel the channel
	 * @param frame the encoded event
	 */
	public void store(String channel, Frame frame) {
		if (!ChannelType.classify(channel).isCache()) {
			return;
		}
		long now = System.nanoTime();
		if (this.lastEvents.size() >= PURGE_THRESHOLD) {
			this.lastEvents.values().removeIf((cached) -> cached.isExpired(now, this.ttlNanos));
		}
		this.lastEvents.put(channel, new Cached(frame, now));
	}

	/**
	 * What a new subscriber of a cache channel is sent.
	 * @param channel the channel
	 * @return the last event, or {@code pusher:cache_miss}; {@code null} if the channel is
	 * not a cache channel
	 */
	public @Nullable Frame replay(String channel) {
		if (!ChannelType.classify(channel).isCache()) {
			return null;
		}
		Cached cached = this.lastEvents.get(channel);
		if (cached == null || cached.isExpired(System.nanoTime(), this.ttlNanos)) {
			return PusherFrames.event(PusherEvents.CACHE_MISS, channel, "{}");
		}
		return cached.frame();
	}

	private record Cached(Frame frame, long storedNanos) {

		boolean isExpired(long now, long ttlNanos) {
			return now - this.storedNanos > ttlNanos;
		}

	}

}
