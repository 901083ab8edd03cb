package dev.realtime.pusher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ConnectionLifecycleListener#of}.
 */
class ConnectionLifecycleListenerTests {

	private final Hub hub = new Hub(HubConfig.defaults());

	@AfterEach
	void close() {
		this.hub.close();
	}

	@Test
	void noListenersIsNone() {
		assertThat(ConnectionLifecycleListener.of(List.of())).isSameAs(ConnectionLifecycleListener.NONE);
	}

	@Test
	void aListenerThatThrowsKeepsNeitherTheOthersNorTheCallerFromGoingOn() {
		List<String> told = new CopyOnWriteArrayList<>();
		ConnectionLifecycleListener failing = new ConnectionLifecycleListener() {

			@Override
			public void signedIn(PusherConnection connection, String userId) {
				throw new IllegalStateException("listener bug");
			}

		};
		ConnectionLifecycleListener recording = new ConnectionLifecycleListener() {

			@Override
			public void signedIn(PusherConnection connection, String userId) {
				told.add(userId);
			}

		};
		Conn discarding = new Conn() {

			@Override
			public void sendAll(List<Frame> frames) {
			}

			@Override
			public void close(CloseReason reason) {
			}

		};
		PusherConnection connection = new PusherConnection(new App("1", "k", "s"), 7, this.hub.add(discarding),
				new RateLimiter(10, System.nanoTime()), System.nanoTime());
		ConnectionLifecycleListener both = ConnectionLifecycleListener.of(List.of(failing, recording));
		assertThatNoException().isThrownBy(() -> both.signedIn(connection, "alice"));
		assertThat(told).containsExactly("alice");
	}

}
