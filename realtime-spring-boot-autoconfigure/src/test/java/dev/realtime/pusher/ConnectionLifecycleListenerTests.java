package dev.realtime.pusher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ConnectionLifecycleListener#of}.
 */
class ConnectionLifecycleListenerTests {

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
		ConnectionLifecycleListener both = ConnectionLifecycleListener.of(List.of(failing, recording));
		// The connection is not read by these listeners.
		assertThatNoException().isThrownBy(() -> both.signedIn(null, "alice"));
		assertThat(told).containsExactly("alice");
	}

}
