package dev.realtime;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Hub#onSubscribed(SubscriptionListener)}.
 */
class SubscriptionListenerTests {

	private final Hub hub = new Hub(HubConfig.builder().channelFrames(new ChannelFrames() {

		@Override
		public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
			return Frame.text("confirmed " + channel);
		}

	}).build());

	@AfterEach
	void close() {
		this.hub.close();
	}

	@Test
	void toldOfNewSubscriptionsOnlyAndAfterTheConfirmation() {
		List<String> told = new CopyOnWriteArrayList<>();
		this.hub.onSubscribed((client, channel) -> {
			told.add(client.id() + " " + channel);
			this.hub.sendTo(client.id(), Frame.text("replay " + channel));
		});
		Texts conn = new Texts();
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, "cache-a");
		this.hub.subscribe(client, "cache-a");
		this.hub.subscribe(client, "presence-b", new Member("u", "{}"));
		this.hub.signIn(client, "u");
		assertThat(told).containsExactly(client.id() + " cache-a", client.id() + " presence-b");
		await().until(() -> conn.texts.size() == 5);
		assertThat(conn.texts).containsExactly("confirmed cache-a", "replay cache-a", "confirmed cache-a",
				"confirmed presence-b", "replay presence-b");
	}

	@Test
	void aFailingListenerDoesNotBreakTheSubscription() {
		this.hub.onSubscribed((client, channel) -> {
			throw new IllegalStateException("boom");
		});
		Client client = this.hub.add(new Texts());
		assertThat(this.hub.subscribe(client, "a")).isEqualTo(Joined.SUBSCRIBED);
		assertThat(client.isSubscribed("a")).isTrue();
	}

	static final class Texts implements Conn {

		final List<String> texts = new CopyOnWriteArrayList<>();

		@Override
		public void sendAll(List<Frame> frames) {
			frames.forEach((frame) -> this.texts.add(frame.text()));
		}

		@Override
		public void close(CloseReason reason) {
		}

	}

}
