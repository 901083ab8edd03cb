package dev.realtime.pusher;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The listeners of {@link ConnectionLifecycleListener#of}: each is told in turn, and one
 * that throws costs only its own call. The calls happen inside the protocol's handling of
 * a connection (opening it, closing it), which a listener's bug must not break.
 */
final class GuardedLifecycleListeners implements ConnectionLifecycleListener {

	private static final Log logger = LogFactory.getLog(GuardedLifecycleListeners.class);

	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final List<ConnectionLifecycleListener> listeners;

	private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

	GuardedLifecycleListeners(List<? extends ConnectionLifecycleListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void opened(PusherConnection connection) {
		tell((listener) -> listener.opened(connection));
	}

	@Override
	public void closed(PusherConnection connection, int closeCode, Set<String> channels) {
		tell((listener) -> listener.closed(connection, closeCode, channels));
	}

	@Override
	public void subscribed(PusherConnection connection, String channel, @Nullable String memberId) {
		tell((listener) -> listener.subscribed(connection, channel, memberId));
	}

	@Override
	public void unsubscribed(PusherConnection connection, String channel) {
		tell((listener) -> listener.unsubscribed(connection, channel));
	}

	@Override
	public void signedIn(PusherConnection connection, String userId) {
		tell((listener) -> listener.signedIn(connection, userId));
	}

	@Override
	public void clientEvent(PusherConnection connection, String channel, String event, String data,
			@Nullable String memberId) {
		tell((listener) -> listener.clientEvent(connection, channel, event, data, memberId));
	}

	private void tell(Consumer<ConnectionLifecycleListener> call) {
		for (ConnectionLifecycleListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				long now = System.nanoTime();
				long last = this.lastLog.get();
				if (now - last >= LOG_INTERVAL_NANOS && this.lastLog.compareAndSet(last, now)) {
					logger.warn("A ConnectionLifecycleListener failed (logged at most every 10 s)", ex);
				}
			}
		}
	}

}
