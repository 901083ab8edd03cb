package dev.realtime.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A database of its own on one of the servers running on this machine (PostgreSQL on
 * 5432, MariaDB on 3306), created for a test and dropped after it. A test is skipped, with
 * the reason, when the server is not running.
 */
enum TestDatabase {

	POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/", "postgres", "postgres"),

	MARIADB("jdbc:mariadb://127.0.0.1:3306/", "root", "");

	private final String serverUrl;

	private final String maintenanceDatabase;

	private final String user;

	TestDatabase(String serverUrl, String user, String maintenanceDatabase) {
		this.serverUrl = serverUrl;
		this.user = user;
		this.maintenanceDatabase = maintenanceDatabase;
	}

	/**
	 * Create a uniquely named database, or skip the test if the server is absent.
	 * @return the database
	 */
	Created create() {
		String name = "rt_apps_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection admin = admin()) {
			execute(admin, "CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			assumeTrue(false, () -> name() + " is not reachable at " + this.serverUrl + " (" + ex.getMessage()
					+ "): skipping the test on it");
		}
		DriverManagerDataSource dataSource = new DriverManagerDataSource(this.serverUrl + name, this.user, "");
		return new Created(name, dataSource);
	}

	private Connection admin() throws SQLException {
		return DriverManager.getConnection(this.serverUrl + this.maintenanceDatabase, this.user, "");
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * A created database; closing it drops it.
	 */
	final class Created implements AutoCloseable {

		private final String name;

		private final DataSource dataSource;

		Created(String name, DataSource dataSource) {
			this.name = name;
			this.dataSource = dataSource;
		}

		DataSource dataSource() {
			return this.dataSource;
		}

		@Override
		public void close() throws SQLException {
			try (Connection admin = admin()) {
				execute(admin, (TestDatabase.this == POSTGRESQL) ? "DROP DATABASE " + this.name + " WITH (FORCE)"
						: "DROP DATABASE " + this.name);
			}
		}

	}

}
