package dev.realtime.pusher;

import java.time.Duration;

import dev.realtime.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheChannels}.
 */
class CacheChannelsTests {

	@Test
	void onlyCacheChannelsAreKept() {
		CacheChannels cache = new CacheChannels();
		Frame frame = PusherFrames.event("e", "news", "{}");
		cache.store("news", frame);
		assertThat(cache.replay("news")).isNull();
	}

	@Test
	void lastEventIsReplayedAndMissesAreTold() {
		CacheChannels cache = new CacheChannels();
		assertThat(cache.replay("private-cache-x").text()).contains("pusher:cache_miss").contains("private-cache-x");
		Frame first = PusherFrames.event("e", "private-cache-x", "1");
		Frame second = PusherFrames.event("e", "private-cache-x", "2");
		cache.store("private-cache-x", first);
		cache.store("private-cache-x", second);
		assertThat(cache.replay("private-cache-x")).isSameAs(second);
	}

	@Test
	void expiredEventsAreMisses() {
		CacheChannels cache = new CacheChannels(Duration.ofNanos(-1));
		cache.store("cache-x", PusherFrames.event("e", "cache-x", "1"));
		assertThat(cache.replay("cache-x").text()).contains("pusher:cache_miss");
	}

}
