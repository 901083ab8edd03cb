package dev.realtime.pusher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A fixed list of apps; the first one is the default.
 */
public final class StaticAppRegistry implements AppRegistry {

	private final Map<String, App> byKey = new LinkedHashMap<>();

	private final Map<String, App> byId = new LinkedHashMap<>();

	private final App defaultApp;

	/**
	 * A registry of the given apps.
	 * @param apps the apps, at least one; keys and ids must be unique
	 */
	public StaticAppRegistry(List<App> apps) {
		if (apps.isEmpty()) {
			throw new IllegalArgumentException("At least one app is needed");
		}
		for (App app : apps) {
			if (this.byKey.putIfAbsent(app.key(), app) != null) {
				throw new IllegalArgumentException("Two apps have the key " + app.key());
			}
			if (this.byId.putIfAbsent(app.id(), app) != null) {
				throw new IllegalArgumentException("Two apps have the id " + app.id());
			}
		}
		this.defaultApp = apps.get(0);
	}

	@Override
	public @Nullable App findByKey(String key) {
		return this.byKey.get(key);
	}

	@Override
	public @Nullable App findById(String id) {
		return this.byId.get(id);
	}

	@Override
	public App defaultApp() {
		return this.defaultApp;
	}

}
