package dev.realtime.pusher;

import java.util.Objects;
import java.util.function.Consumer;

import dev.realtime.ChannelType;
import dev.realtime.Client;
import dev.realtime.Hub;
import dev.realtime.SubscriptionListener;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;

/**
 * Gives each new subscriber of a cache channel the channel's last event right after its
 * {@code pusher_internal:subscription_succeeded}, or {@code pusher:cache_miss} when
 * nothing is cached (and tells the miss listener, which sends the {@code cache_miss}
 * webhook).
 * <p>
 * The cache is read after the connection joined, so no event published meanwhile is
 * missed; an event published in that instant may arrive twice (live, then as the cached
 * one).
 */
public final class CacheChannelReplay implements SubscriptionListener {

	/** Told to a subscriber of a cache channel with nothing cached. */
	public static final String CACHE_MISS = "pusher:cache_miss";

	private final Hub hub;

	private final ChannelCache cache;

	private final Consumer<String> missListener;

	/**
	 * Create the replay and register it with the hub.
	 * @param hub the hub
	 * @param cache the last events
	 * @param missListener told the channel of each cache miss; must not block
	 */
	public CacheChannelReplay(Hub hub, ChannelCache cache, Consumer<String> missListener) {
		this.hub = Objects.requireNonNull(hub, "hub");
		this.cache = Objects.requireNonNull(cache, "cache");
		this.missListener = Objects.requireNonNull(missListener, "missListener");
		hub.onSubscribed(this);
	}

	@Override
	public void subscribed(Client client, String channel) {
		if (!ChannelType.classify(channel).isCache()) {
			return;
		}
		Event last;
		try {
			last = this.cache.get(channel);
		}
		catch (RuntimeException ex) {
			// The shared store is unreachable: the subscriber simply gets no replay.
			return;
		}
		if (last != null) {
			this.hub.sendTo(client.id(), PusherFrames.event(last.name(), channel, last.payload()));
		}
		else {
			this.hub.sendTo(client.id(), PusherFrames.event(CACHE_MISS, channel, "{}"));
			this.missListener.accept(channel);
		}
	}

}
