package dev.realtime.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.Member;
import dev.realtime.PresenceEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ApplicationEventRelay} on its own; with real listeners and WebSocket
 * clients see {@code LifecycleEventsIntegrationTests}.
 */
class ApplicationEventRelayTests {

	private final List<Object> published = new CopyOnWriteArrayList<>();

	@Test
	void aFailingListenerDoesNotStopTheEventsAfterIt() {
		try (ApplicationEventRelay relay = new ApplicationEventRelay((event) -> {
			if (event instanceof MemberAddedEvent) {
				throw new IllegalStateException("listener bug");
			}
			this.published.add(event);
		}, 8)) {
			relay.onPresence(new PresenceEvent("presence-a", true, new Member("u", "{}")));
			relay.onPresence(new PresenceEvent("presence-a", false, new Member("u", "{}")));
			await().until(() -> this.published.size() == 1);
			assertThat(this.published.get(0)).isInstanceOf(MemberRemovedEvent.class);
		}
	}

	@Test
	void closingPublishesWhatIsQueuedThenDropsAndCountsTheRest() {
		ApplicationEventRelay relay = new ApplicationEventRelay(this.published::add, 8);
		for (int i = 0; i < 5; i++) {
			relay.onPresence(new PresenceEvent("presence-" + i, true, new Member("u", "{}")));
		}
		relay.close();
		assertThat(this.published).hasSize(5);
		relay.onPresence(new PresenceEvent("presence-late", true, new Member("u", "{}")));
		assertThat(relay.dropped()).isOne();
		assertThat(this.published).hasSize(5);
	}

	@Test
	void theCapacityIsPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApplicationEventRelay(this.published::add, 0));
	}

}
