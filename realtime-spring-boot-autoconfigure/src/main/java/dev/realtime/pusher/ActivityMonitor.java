package dev.realtime.pusher;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.realtime.HubClosedException;
import dev.realtime.internal.DaemonThreads;

/**
 * Pings connections that have been silent for the activity timeout and closes those that
 * do not answer within the pong timeout (4201). How a connection is pinged depends on its
 * protocol version ({@link PusherProtocol#ping}). When
 * {@linkplain ConnectionLimits#requiresAuthorization() authorized connections are
 * required}, also closes (4009) those that neither signed in nor joined a private or
 * presence channel within the authorization timeout.
 * <p>
 * One thread sweeps every connection a few times per timeout: no timer per connection,
 * and a sweep costs a read of two fields per connection.
 */
public final class ActivityMonitor implements AutoCloseable {

	private final PusherConnections connections;

	private final long activityTimeoutNanos;

	private final long pongTimeoutNanos;

	/** 0 when connections need not authorize. */
	private final long authorizationTimeoutNanos;

	private final ProtocolStats stats;

	private final ScheduledExecutorService scheduler;

	/**
	 * Start monitoring.
	 * @param connections the connections to watch
	 * @param settings the timeouts
	 * @param limits the authorization timeout
	 * @param stats counts the connections closed for not authorizing
	 */
	public ActivityMonitor(PusherConnections connections, ProtocolSettings settings, ConnectionLimits limits,
			ProtocolStats stats) {
		this.connections = connections;
		this.stats = stats;
		this.activityTimeoutNanos = settings.activityTimeout().toNanos();
		this.pongTimeoutNanos = settings.pongTimeout().toNanos();
		this.authorizationTimeoutNanos = limits.authorizationTimeout().toNanos();
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-activity"));
		Duration shorterTimeout = (limits.requiresAuthorization()
				&& limits.authorizationTimeout().compareTo(settings.pongTimeout()) < 0)
						? limits.authorizationTimeout() : settings.pongTimeout();
		long period = sweepPeriod(settings.activityTimeout(), shorterTimeout).toNanos();
		this.scheduler.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
	}

	/** A tenth of the shorter timeout, between 50 ms and 5 s: late by at most that much. */
	static Duration sweepPeriod(Duration activityTimeout, Duration pongTimeout) {
		long shorter = Math.min(activityTimeout.toMillis(), pongTimeout.toMillis());
		return Duration.ofMillis(Math.max(50, Math.min(5000, shorter / 10)));
	}

	void sweep() {
		long now = System.nanoTime();
		try {
			for (PusherConnection connection : this.connections.all()) {
				check(connection, now);
			}
		}
		catch (HubClosedException ex) {
			// Shutting down: every connection is being closed anyway.
		}
		catch (RuntimeException ex) {
			// Never let one bad sweep cancel the schedule.
		}
	}

	private void check(PusherConnection connection, long now) {
		if (this.authorizationTimeoutNanos > 0 && !connection.isAuthorized()
				&& now - connection.openedNanos() > this.authorizationTimeoutNanos && connection.client().isOpen()) {
			this.stats.authorizationTimeout();
			connection.appHub().hub().disconnect(connection.client(), CloseCodes.NOT_AUTHORIZED_IN_TIME);
			return;
		}
		long pingSent = connection.pingSentNanos();
		if (pingSent != 0) {
			if (now - pingSent > this.pongTimeoutNanos) {
				connection.appHub().hub().disconnect(connection.client(), CloseCodes.PONG_NOT_RECEIVED);
			}
		}
		else if (now - connection.lastActivityNanos() > this.activityTimeoutNanos) {
			connection.pingSent(now);
			connection.appHub().hub().sendTo(connection.socketId(), PusherProtocol.ping(connection.protocol()));
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
