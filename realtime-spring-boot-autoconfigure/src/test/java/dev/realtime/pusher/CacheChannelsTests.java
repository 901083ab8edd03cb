package dev.realtime.pusher;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryChannelCache;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheChannels}.
 */
class CacheChannelsTests {

	private final MemoryChannelCache cache = new MemoryChannelCache(Duration.ofMinutes(30), Clock.systemUTC());

	private final List<String> misses = new CopyOnWriteArrayList<>();

	private final CacheChannels channels = new CacheChannels(this.cache, this.misses::add);

	@Test
	void otherChannelsGetNoReplay() {
		this.cache.put(new Event("news", "e", "{}"));
		assertThat(this.channels.replay("news")).isNull();
		assertThat(this.misses).isEmpty();
	}

	@Test
	void lastEventIsReplayedAsAPusherEvent() {
		this.cache.put(new Event("private-cache-x", "e", "1"));
		this.cache.put(new Event("private-cache-x", "e", "{\"n\":2}"));
		assertThat(this.channels.replay("private-cache-x").text())
			.isEqualTo("{\"event\":\"e\",\"channel\":\"private-cache-x\",\"data\":\"{\\\"n\\\":2}\"}");
		assertThat(this.misses).isEmpty();
	}

	@Test
	void missesAreToldToTheClientAndTheListener() {
		assertThat(this.channels.replay("presence-cache-room").text())
			.isEqualTo("{\"event\":\"pusher:cache_miss\",\"channel\":\"presence-cache-room\",\"data\":\"{}\"}");
		assertThat(this.misses).containsExactly("presence-cache-room");
	}

	@Test
	void anUnreachableCacheMeansNoReplayRatherThanAFalseMiss() {
		CacheChannels broken = new CacheChannels(new ChannelCache() {

			@Override
			public void put(Event event) {
			}

			@Override
			public @Nullable Event get(String channel) {
				throw new IllegalStateException("Redis is unreachable");
			}

		}, this.misses::add);
		assertThat(broken.replay("cache-x")).isNull();
		assertThat(this.misses).isEmpty();
	}

}
