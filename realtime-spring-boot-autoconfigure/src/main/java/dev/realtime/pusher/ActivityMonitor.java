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
 * protocol version ({@link PusherProtocol#ping}).
 * <p>
 * One thread sweeps every connection a few times per timeout: no timer per connection,
 * and a sweep costs a read of two fields per connection.
 */
public final class ActivityMonitor implements AutoCloseable {

	private final PusherConnections connections;

	private final long activityTimeoutNanos;

	private final long pongTimeoutNanos;

	private final ScheduledExecutorService scheduler;

	/**
	 * Start monitoring.
	 * @param connections the connections to watch
	 * @param settings the timeouts
	 */
	public ActivityMonitor(PusherConnections connections, ProtocolSettings settings) {
		this.connections = connections;
		this.activityTimeoutNanos = settings.activityTimeout().toNanos();
		this.pongTimeoutNanos = settings.pongTimeout().toNanos();
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-activity"));
		long period = sweepPeriod(settings.activityTimeout(), settings.pongTimeout()).toNanos();
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
