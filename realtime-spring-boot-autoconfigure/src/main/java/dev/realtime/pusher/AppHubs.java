package dev.realtime.pusher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.realtime.internal.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AppHub} of each app this node serves: the default app's, built with the
 * application context, and the others' built when first needed (a connection or an HTTP
 * API request for the app), at most {@code maxApps} of them.
 * <p>
 * Every {@code refreshInterval} the apps are looked up again in the {@link AppRegistry}:
 * the hub of an app that was removed, disabled or changed (new secret or settings), and of
 * an app with no connection left here, is closed (its connections get 4200 and reconnect,
 * to a hub with the app's current settings or to be refused). So a registry that changes
 * at run time (a database) takes effect within that interval.
 */
public final class AppHubs implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AppHubs.class);

	private static final int MAX_CLOSING_AT_ONCE = 16;

	private final AppRegistry registry;

	private final AppHub defaultHub;

	private final Function<App, AppHub> factory;

	private final int maxApps;

	private final ConcurrentHashMap<String, AppHub> others = new ConcurrentHashMap<>();

	private final @Nullable ScheduledExecutorService refresher;

	/**
	 * Create the hubs.
	 * @param registry where apps are looked up again
	 * @param defaultHub the default app's hub
	 * @param factory builds the hub of another app
	 * @param maxApps most apps other than the default one with a hub at a time
	 * @param refreshInterval how often apps are looked up again; zero never
	 */
	public AppHubs(AppRegistry registry, AppHub defaultHub, Function<App, AppHub> factory, int maxApps,
			Duration refreshInterval) {
		this.registry = registry;
		this.defaultHub = defaultHub;
		this.factory = factory;
		this.maxApps = maxApps;
		if (refreshInterval.isZero() || refreshInterval.isNegative()) {
			this.refresher = null;
		}
		else {
			this.refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-apps"));
			long period = refreshInterval.toMillis();
			this.refresher.scheduleWithFixedDelay(this::refreshQuietly, period, period, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * The default app's hub.
	 * @return the hub
	 */
	public AppHub defaultHub() {
		return this.defaultHub;
	}

	/**
	 * The hub of an app, built if it has none yet.
	 * @param app the app (found in the registry just now)
	 * @return its hub, or {@code null} when {@code maxApps} other apps have hubs already
	 */
	public @Nullable AppHub forApp(App app) {
		if (app.id().equals(this.defaultHub.app().id())) {
			return this.defaultHub;
		}
		AppHub existing = this.others.get(app.id());
		if (existing != null) {
			return existing;
		}
		synchronized (this.others) {
			// Only building a hub is serialized, so the bound holds; lookups never wait.
			existing = this.others.get(app.id());
			if (existing != null) {
				return existing;
			}
			if (this.others.size() >= this.maxApps) {
				return null;
			}
			AppHub built = this.factory.apply(app);
			this.others.put(app.id(), built);
			return built;
		}
	}

	/**
	 * The hub of an app, if it has one on this node.
	 * @param appId the app id
	 * @return the hub, or {@code null}
	 */
	public @Nullable AppHub find(String appId) {
		return appId.equals(this.defaultHub.app().id()) ? this.defaultHub : this.others.get(appId);
	}

	/**
	 * Every hub on this node, the default app's first.
	 * @return the hubs
	 */
	public List<AppHub> all() {
		List<AppHub> all = new ArrayList<>(this.others.size() + 1);
		all.add(this.defaultHub);
		all.addAll(this.others.values());
		return all;
	}

	/**
	 * Close the hubs of apps that were removed, disabled or changed, or that have no
	 * connection left on this node.
	 */
	public void refresh() {
		for (AppHub hub : this.others.values()) {
			App current = this.registry.findById(hub.app().id());
			boolean stale = current == null || !current.settings().enabled() || !current.equals(hub.app());
			if (stale || hub.hub().count() == 0) {
				close(hub);
			}
		}
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// A registry that fails now (a database away) keeps the hubs as they are.
			logger.warn("Looking up the apps again failed", ex);
		}
	}

	private void close(AppHub hub) {
		if (this.others.remove(hub.app().id(), hub)) {
			hub.close();
		}
	}

	/**
	 * Close the hubs of every app but the default one (whose hub the application closes).
	 * They are closed side by side, a few at a time, so that the wait for each hub's
	 * connections to flush (up to the shutdown timeout) is not paid once per app.
	 */
	@Override
	public void close() {
		if (this.refresher != null) {
			this.refresher.shutdownNow();
		}
		Collection<AppHub> hubs = new ArrayList<>(this.others.values());
		if (hubs.isEmpty()) {
			return;
		}
		ExecutorService closers = Executors.newFixedThreadPool(Math.min(hubs.size(), MAX_CLOSING_AT_ONCE),
				DaemonThreads.factory("realtime-apps-close"));
		try {
			hubs.forEach((hub) -> closers.execute(() -> close(hub)));
		}
		finally {
			closers.shutdown();
			try {
				closers.awaitTermination(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
