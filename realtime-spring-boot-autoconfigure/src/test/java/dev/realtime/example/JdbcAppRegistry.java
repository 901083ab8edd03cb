package dev.realtime.example;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.AppSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The apps of a table (the README's "Several apps" example):
 *
 * <pre>
 * CREATE TABLE realtime_apps (
 *   id VARCHAR(64) PRIMARY KEY,
 *   app_key VARCHAR(128) NOT NULL UNIQUE,
 *   secret VARCHAR(128) NOT NULL,
 *   enabled BOOLEAN NOT NULL,
 *   client_events BOOLEAN,            -- NULL: realtime.client-events.enabled
 *   presence_max_members INTEGER,     -- NULL: realtime.presence.max-members
 *   max_payload_size INTEGER,         -- bytes; NULL: realtime.http-api.max-payload-size
 *   webhook_url VARCHAR(512)          -- NULL: no webhooks of its own
 * )
 * </pre>
 *
 * Wrap it in a {@link dev.realtime.pusher.CachingAppRegistry} so a connection is not a
 * query each time.
 */
public class JdbcAppRegistry implements AppRegistry {

	private static final String SELECT = "SELECT id, app_key, secret, enabled, client_events, presence_max_members, "
			+ "max_payload_size, webhook_url FROM realtime_apps ";

	private final JdbcClient jdbc;

	private final String defaultAppId;

	/**
	 * Read the apps from the {@code realtime_apps} table.
	 * @param jdbc the database
	 * @param defaultAppId the app the injected {@code Hub} and {@code Realtime} serve
	 */
	public JdbcAppRegistry(JdbcClient jdbc, String defaultAppId) {
		this.jdbc = jdbc;
		this.defaultAppId = defaultAppId;
	}

	@Override
	public @Nullable App findByKey(String key) {
		return this.jdbc.sql(SELECT + "WHERE app_key = ?").param(key).query(JdbcAppRegistry::app).optional().orElse(null);
	}

	@Override
	public @Nullable App findById(String id) {
		return this.jdbc.sql(SELECT + "WHERE id = ?").param(id).query(JdbcAppRegistry::app).optional().orElse(null);
	}

	@Override
	public App defaultApp() {
		App app = findById(this.defaultAppId);
		if (app == null) {
			throw new IllegalStateException("No app " + this.defaultAppId + " in realtime_apps");
		}
		return app;
	}

	private static App app(ResultSet row, int number) throws SQLException {
		String webhook = row.getString("webhook_url");
		AppSettings settings = new AppSettings(row.getBoolean("enabled"), row.getObject("client_events", Boolean.class),
				row.getObject("presence_max_members", Integer.class), null,
				row.getObject("max_payload_size", Integer.class), null,
				(webhook != null) ? List.of(java.net.URI.create(webhook)) : List.of());
		return new App(row.getString("id"), row.getString("app_key"), row.getString("secret"), settings);
	}

}
