package dev.realtime.it;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.realtime.example.JdbcAppRegistry;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.AppSettings;
import dev.realtime.pusher.CachingAppRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's database {@link AppRegistry} ({@link JdbcAppRegistry} behind a
 * {@link CachingAppRegistry}) on the real PostgreSQL and MariaDB of this machine, each in a
 * database of its own: the apps and their settings are read, answers are cached for the
 * time to live, and an application whose registry is that bean serves the table's apps.
 */
class JdbcAppRegistryIntegrationTests {

	/** The README's table. */
	static String table() {
		return Readme.section("## Several apps").blocks("sql").get(0);
	}


	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void readsTheAppsWithTheirSettingsAndCachesTheAnswers(TestDatabase database) throws Exception {
		try (TestDatabase.Created created = database.create()) {
			JdbcClient jdbc = fill(JdbcClient.create(created.dataSource()));
			AppRegistry registry = new CachingAppRegistry(new JdbcAppRegistry(jdbc, "a"), Duration.ofMinutes(1), 100);
			assertThat(registry.defaultApp()).isEqualTo(new App("a", "key-a", "secret-a"));
			App b = registry.findByKey("key-b");
			assertThat(b).isEqualTo(new App("b", "key-b", "secret-b", new AppSettings(false, false, 5, null, 100, null,
					List.of(URI.create("http://127.0.0.1:9/hooks")))));
			assertThat(registry.findById("b")).isEqualTo(b);
			assertThat(registry.findByKey("nope")).isNull();
			jdbc.sql("UPDATE realtime_apps SET secret = 'rotated' WHERE id = 'b'").update();
			assertThat(registry.findById("b").secret()).as("cached").isEqualTo("secret-b");
			assertThat(new JdbcAppRegistry(jdbc, "a").findById("b").secret()).isEqualTo("rotated");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.class)
	void anApplicationServesTheAppsOfItsDatabaseRegistry(TestDatabase database) throws Exception {
		try (TestDatabase.Created created = database.create()) {
			JdbcClient jdbc = fill(JdbcClient.create(created.dataSource()));
			AppRegistry registry = new CachingAppRegistry(new JdbcAppRegistry(jdbc, "a"), Duration.ofSeconds(5), 100);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
				.initializers((app) -> app.getBeanFactory().registerSingleton("jdbcAppRegistry", registry))
				.properties("server.port=0", "spring.main.banner-mode=off", "spring.jmx.enabled=false")
				.run()) {
				assertThat(context.getBean(AppRegistry.class)).isSameAs(registry);
				int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
				try (PusherTestClient c = PusherTestClient.connect(port, "key-c")) {
					assertThat(c.socketId()).isNotEmpty();
				}
				try (PusherTestClient b = PusherTestClient.open(port, "/app/key-b?protocol=7")) {
					assertThat(b.awaitClose()).isEqualTo(4003);
				}
			}
		}
	}

	private static JdbcClient fill(JdbcClient jdbc) {
		jdbc.sql(table()).update();
		String insert = "INSERT INTO realtime_apps VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
		jdbc.sql(insert).params("a", "key-a", "secret-a", true, null, null, null, null).update();
		jdbc.sql(insert).params("b", "key-b", "secret-b", false, false, 5, 100, "http://127.0.0.1:9/hooks").update();
		jdbc.sql(insert).params("c", "key-c", "secret-c", true, true, null, null, null).update();
		return jdbc;
	}

}
