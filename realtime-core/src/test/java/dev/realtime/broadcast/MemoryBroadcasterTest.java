package dev.realtime.broadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static dev.realtime.Waits.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link MemoryBroadcaster}.
 */
class MemoryBroadcasterTest {

	private final MemoryBroadcaster broadcaster = new MemoryBroadcaster();

	@AfterEach
	void close() {
		this.broadcaster.close();
	}

	@Test
	void deliversToTheChannelsSubscribersAndToSubscribeAllInOrder() {
		List<Event> news = new CopyOnWriteArrayList<>();
		List<Event> sports = new CopyOnWriteArrayList<>();
		List<Event> all = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("news", news::add);
		this.broadcaster.subscribe("sports", sports::add);
		this.broadcaster.subscribeAll(all::add);
		List<Event> published = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Event event = new Event((i % 2 == 0) ? "news" : "sports", "e", Integer.toString(i), "1.1");
			published.add(event);
			this.broadcaster.publish(event);
		}
		this.broadcaster.publish(new Event("nobody", "e", "x"));
		await().until(() -> all.size() == 101 && news.size() == 50 && sports.size() == 50);
		assertThat(news).containsExactlyElementsOf(published.stream().filter((e) -> e.channel().equals("news")).toList());
		assertThat(sports)
			.containsExactlyElementsOf(published.stream().filter((e) -> e.channel().equals("sports")).toList());
		assertThat(all.subList(0, 100)).containsExactlyElementsOf(published);
		assertThat(news.get(0)).isSameAs(published.get(0));
		assertThat(news.get(0).exceptSocketId()).isEqualTo("1.1");
		assertThat(this.broadcaster.dropped()).isZero();
	}

	@Test
	void cancelStopsDelivery() {
		List<Event> received = new CopyOnWriteArrayList<>();
		List<Event> control = new CopyOnWriteArrayList<>();
		Subscription subscription = this.broadcaster.subscribe("c", received::add);
		Subscription all = this.broadcaster.subscribeAll(received::add);
		this.broadcaster.subscribe("c", control::add);
		subscription.cancel();
		subscription.cancel();
		all.cancel();
		this.broadcaster.publish(new Event("c", "e", "x"));
		await().until(() -> control.size() == 1);
		assertThat(received).isEmpty();
	}

	@Test
	void aSlowHandlerDropsItsOwnOverflowWithoutBlockingThePublisherOrOthers() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch inHandler = new CountDownLatch(1);
		try (MemoryBroadcaster small = new MemoryBroadcaster(4, null)) {
			List<String> slow = new CopyOnWriteArrayList<>();
			List<String> fast = new CopyOnWriteArrayList<>();
			Subscription slowSubscription = small.subscribe("c", (event) -> {
				inHandler.countDown();
				awaitQuietly(release);
				slow.add(event.payload());
			});
			Subscription fastSubscription = small.subscribe("c", (event) -> fast.add(event.payload()));
			small.publish(new Event("c", "e", "0"));
			assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
				for (int i = 1; i < 100; i++) {
					// Pace on the fast handler so only the blocked one overflows.
					int expected = i;
					while (fast.size() < expected - 2) {
						Thread.onSpinWait();
					}
					small.publish(new Event("c", "e", Integer.toString(i)));
				}
			});
			await().until(() -> fast.size() == 100);
			assertThat(fast).containsExactlyElementsOf(numbers(100));
			assertThat(slowSubscription.dropped()).isEqualTo(100 - 1 - 4);
			assertThat(fastSubscription.dropped()).isZero();
			assertThat(small.dropped()).isEqualTo(100 - 1 - 4);
			release.countDown();
			await().until(() -> slow.size() == 5);
			assertThat(slow).containsExactly("0", "1", "2", "3", "4");
		}
	}

	@Test
	void defaultBufferHolds256EventsPerSubscription() throws Exception {
		assertThat(MemoryBroadcaster.DEFAULT_BUFFER_SIZE).isEqualTo(256);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch inHandler = new CountDownLatch(1);
		List<Event> received = new CopyOnWriteArrayList<>();
		Subscription subscription = this.broadcaster.subscribe("c", (event) -> {
			inHandler.countDown();
			awaitQuietly(release);
			received.add(event);
		});
		this.broadcaster.publish(new Event("c", "e", "first"));
		assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 300; i++) {
			this.broadcaster.publish(new Event("c", "e", Integer.toString(i)));
		}
		assertThat(subscription.dropped()).isEqualTo(300 - 256);
		release.countDown();
		await().until(() -> received.size() == 257);
	}

	@Test
	void aThrowingHandlerIsCountedAndKeepsReceiving() {
		List<String> received = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("c", (event) -> {
			if (event.payload().equals("bad")) {
				throw new IllegalStateException("boom");
			}
			received.add(event.payload());
		});
		this.broadcaster.publish(new Event("c", "e", "bad"));
		this.broadcaster.publish(new Event("c", "e", "good"));
		await().until(() -> received.equals(List.of("good")));
		assertThat(this.broadcaster.handlerFailures()).isEqualTo(1);
	}

	@Test
	void closeStopsEverything() {
		List<Event> received = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("c", received::add);
		this.broadcaster.close();
		this.broadcaster.close();
		assertThat(this.broadcaster.isClosed()).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> this.broadcaster.publish(new Event("c", "e", "x")));
		assertThatIllegalStateException().isThrownBy(() -> this.broadcaster.subscribe("c", received::add));
		assertThatIllegalStateException().isThrownBy(() -> this.broadcaster.subscribeAll(received::add));
		assertThat(received).isEmpty();
	}

	@Test
	void closeDeliversWhatWasAcceptedAndTakesNothingMore() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch inHandler = new CountDownLatch(1);
		List<String> received = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("c", (event) -> {
			inHandler.countDown();
			awaitQuietly(release);
			received.add(event.payload());
		});
		this.broadcaster.publish(new Event("c", "e", "in flight"));
		assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
		this.broadcaster.publish(new Event("c", "e", "buffered"));
		this.broadcaster.close();
		assertThatIllegalStateException().isThrownBy(() -> this.broadcaster.publish(new Event("c", "e", "late")));
		release.countDown();
		await().until(() -> received.size() == 2);
		assertThat(received).containsExactly("in flight", "buffered");
		assertThat(this.broadcaster.dropped()).isZero();
	}

	@Test
	void rejectsBadArguments() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryBroadcaster(0, null));
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Event("c", "e", null)))
			.isInstanceOf(NullPointerException.class);
	}

	/**
	 * Subscribing to a channel while its last subscription is cancelled must not lose the
	 * new subscription (it must not land in a list the broadcaster already dropped).
	 */
	@Test
	void subscribeRacingWithTheLastCancelIsNotLost() throws Exception {
		int rounds = 1_500;
		for (int round = 0; round < rounds; round++) {
			String channel = "c" + round;
			Subscription leaving = this.broadcaster.subscribe(channel, (event) -> {
			});
			CountDownLatch start = new CountDownLatch(1);
			Subscription[] joining = new Subscription[1];
			List<Event> received = new CopyOnWriteArrayList<>();
			Thread joiner = new Thread(() -> {
				awaitQuietly(start);
				joining[0] = this.broadcaster.subscribe(channel, received::add);
			});
			joiner.start();
			start.countDown();
			leaving.cancel();
			joiner.join();
			this.broadcaster.publish(new Event(channel, "e", "x"));
			await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
			joining[0].cancel();
		}
	}

	private static List<String> numbers(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString).toList();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
