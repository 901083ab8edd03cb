package dev.realtime.pusher;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.apps.AppNamespace;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Everything one app has on this node: its hub (its own channels, members and
 * connections), the handler of its connections' messages (with the app's settings), the
 * {@link Realtime} facade publishing to its channels, the statistics the HTTP API answers
 * from, and the way to close a user's connections. Built once per app by
 * {@link AppHubs}; the parts reach shared engines only through the app's
 * {@link AppNamespace}.
 */
public final class AppHub implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AppHub.class);

	private final App app;

	private final AppNamespace namespace;

	private final Hub hub;

	private final PusherEventHandler events;

	private final Realtime realtime;

	private final ChannelStats stats;

	private final Consumer<String> userTerminator;

	private final List<AutoCloseable> resources;

	/**
	 * Assemble an app's parts.
	 * @param app the app
	 * @param namespace where its channels live in the shared engines
	 * @param hub its hub
	 * @param events handles its connections' messages
	 * @param realtime publishes to its channels
	 * @param stats its channels' statistics (cluster-wide with Redis)
	 * @param userTerminator closes every connection of one of its users, on every node
	 * @param resources closed with the app's hub (its webhook dispatcher, say)
	 */
	public AppHub(App app, AppNamespace namespace, Hub hub, PusherEventHandler events, Realtime realtime,
			ChannelStats stats, Consumer<String> userTerminator, List<AutoCloseable> resources) {
		this.app = Objects.requireNonNull(app, "app");
		this.namespace = Objects.requireNonNull(namespace, "namespace");
		this.hub = Objects.requireNonNull(hub, "hub");
		this.events = Objects.requireNonNull(events, "events");
		this.realtime = Objects.requireNonNull(realtime, "realtime");
		this.stats = Objects.requireNonNull(stats, "stats");
		this.userTerminator = Objects.requireNonNull(userTerminator, "userTerminator");
		this.resources = List.copyOf(resources);
	}

	/**
	 * The app, as it was when its hub was built.
	 * @return the app
	 */
	public App app() {
		return this.app;
	}

	/**
	 * Where the app's channels live in the shared engines.
	 * @return the namespace
	 */
	public AppNamespace namespace() {
		return this.namespace;
	}

	/**
	 * The app's hub.
	 * @return the hub
	 */
	public Hub hub() {
		return this.hub;
	}

	/**
	 * Handles the messages of the app's connections.
	 * @return the handler
	 */
	public PusherEventHandler events() {
		return this.events;
	}

	/**
	 * Publishes to the app's channels and users.
	 * @return the facade
	 */
	public Realtime realtime() {
		return this.realtime;
	}

	/**
	 * The app's channel statistics.
	 * @return the statistics
	 */
	public ChannelStats stats() {
		return this.stats;
	}

	/**
	 * Close every connection one of the app's users signed in on, on every node (4009).
	 * @param userId the user id
	 */
	public void terminateUser(String userId) {
		this.userTerminator.accept(userId);
	}

	/**
	 * Close the app's resources and its hub: its connections are closed with 4200 and
	 * reconnect (to a hub built with the app's current settings, or to be refused).
	 */
	@Override
	public void close() {
		for (AutoCloseable resource : this.resources) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.warn("Closing a resource of " + this.app + " failed", ex);
			}
		}
		this.hub.close();
	}

	@Override
	public String toString() {
		return "AppHub[" + this.app + "]";
	}

}
