package dev.realtime.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.realtime.ChannelStats;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link AppNamespace}: qualified names never collide with the default app's, and each
 * app's views see its own channels only.
 */
class AppNamespaceTests {

	private final AppNamespace b = AppNamespace.of("b");

	@Test
	void qualifiesOtherAppsChannelsAndLeavesTheDefaultAppsAsTheyAre() {
		assertThat(this.b.qualify("chat")).isEqualTo("~b:chat");
		assertThat(AppNamespace.DEFAULT.qualify("chat")).isEqualTo("chat");
		assertThat(AppNamespace.appIdOf("~b:chat")).isEqualTo("b");
		assertThat(AppNamespace.appIdOf("chat")).isNull();
		assertThat(AppNamespace.appIdOf("#server-to-user-~b:x")).isNull();
		assertThat(this.b.local("~b:chat")).isEqualTo("chat");
		assertThat(this.b.local("chat")).isNull();
		assertThat(this.b.local("~bb:chat")).isNull();
		assertThat(AppNamespace.DEFAULT.local("~b:chat")).isNull();
		assertThat(AppNamespace.DEFAULT.local("#server-to-user-~b:x")).isEqualTo("#server-to-user-~b:x");
		assertThatIllegalArgumentException().isThrownBy(() -> AppNamespace.of("a:b"));
	}

	@Test
	void statisticsListOnlyTheAppsChannelsUnderItsNames() {
		ChannelStats all = new ChannelStats() {

			@Override
			public int subscriptionCount(String channel) {
				return channel.equals("~b:chat") ? 2 : 5;
			}

			@Override
			public Map<String, Integer> occupiedChannels() {
				return new TreeMap<>(Map.of("chat", 5, "~b:chat", 2, "~c:chat", 9));
			}

			@Override
			public List<String> users(String channel) {
				return List.of(channel);
			}

		};
		assertThat(this.b.stats(all).occupiedChannels()).containsExactly(Map.entry("chat", 2));
		assertThat(this.b.stats(all).subscriptionCount("chat")).isEqualTo(2);
		assertThat(this.b.stats(all).users("presence-x")).containsExactly("~b:presence-x");
		assertThat(AppNamespace.DEFAULT.stats(all).occupiedChannels()).containsExactly(Map.entry("chat", 5));
	}

	@Test
	void broadcasterViewsCarryOnlyTheirAppsEvents() {
		try (MemoryBroadcaster shared = new MemoryBroadcaster()) {
			List<Event> toB = new ArrayList<>();
			List<Event> toDefault = new ArrayList<>();
			this.b.broadcaster(shared).subscribeAll(toB::add);
			AppNamespace.DEFAULT.broadcaster(shared).subscribeAll(toDefault::add);
			this.b.broadcaster(shared).publish(new Event("chat", "from-b", "1"));
			shared.publish(new Event("chat", "from-default", "2"));
			await().until(() -> toB.size() == 1 && toDefault.size() == 1);
			assertThat(toB.get(0).channel()).isEqualTo("chat");
			assertThat(toB.get(0).name()).isEqualTo("from-b");
			assertThat(toDefault.get(0).name()).isEqualTo("from-default");
		}
	}

}
