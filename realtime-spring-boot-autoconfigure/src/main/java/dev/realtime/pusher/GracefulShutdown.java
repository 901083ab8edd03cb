package dev.realtime.pusher;

import java.time.Duration;

import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Shuts the realtime server down without losing what is in flight: first the broadcaster
 * stops taking events and hands those it holds to the hub, then the hub flushes every
 * connection's queue and closes it with 4200 (clients reconnect at once, to another node).
 * <p>
 * Runs after the web server's graceful shutdown (so HTTP requests that publish have
 * finished) and before the web server stops (so connections are still open to receive
 * their last frames and the close code).
 */
public final class GracefulShutdown implements SmartLifecycle {

	/**
	 * Between Spring Boot's web server graceful shutdown ({@code DEFAULT_PHASE - 1024},
	 * stopped earlier) and the web server's start/stop ({@code DEFAULT_PHASE - 2048},
	 * stopped later). Literal so that no web server module is needed on the class path.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private final Broadcaster broadcaster;

	private final Hub hub;

	private final @Nullable BroadcastThreads broadcastThreads;

	private final Duration timeout;

	private final @Nullable AppHubs otherApps;

	private volatile boolean running;

	/**
	 * Create the lifecycle.
	 * @param broadcaster the broadcaster, closed first
	 * @param hub the hub, closed last
	 * @param broadcastThreads the threads delivering the broadcaster's events, awaited after
	 * the broadcaster closed, or {@code null} if the broadcaster drains by itself in
	 * {@code close()}
	 * @param timeout longest wait for the broadcast threads
	 */
	public GracefulShutdown(Broadcaster broadcaster, Hub hub, @Nullable BroadcastThreads broadcastThreads,
			Duration timeout) {
		this(broadcaster, hub, broadcastThreads, timeout, null);
	}

	/**
	 * Create the lifecycle of several apps' hubs.
	 * @param broadcaster the broadcaster, closed first
	 * @param hub the default app's hub, closed last
	 * @param broadcastThreads the threads delivering the broadcaster's events, or
	 * {@code null}
	 * @param timeout longest wait for the broadcast threads
	 * @param otherApps the hubs of the other apps, closed with the default app's, or
	 * {@code null}
	 */
	public GracefulShutdown(Broadcaster broadcaster, Hub hub, @Nullable BroadcastThreads broadcastThreads,
			Duration timeout, @Nullable AppHubs otherApps) {
		this.broadcaster = broadcaster;
		this.hub = hub;
		this.broadcastThreads = broadcastThreads;
		this.timeout = timeout;
		this.otherApps = otherApps;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.broadcaster.close();
		if (this.broadcastThreads != null) {
			this.broadcastThreads.shutdownAndAwait(this.timeout);
		}
		if (this.otherApps != null) {
			this.otherApps.close();
		}
		this.hub.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Closing the hub cannot be undone, so a context pause must not stop this.
	 * @return {@code false}
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
