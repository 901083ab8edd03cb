package dev.realtime.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the end-to-end suite in {@code e2e/} (real pusher-js and laravel-echo clients, raw
 * WebSockets, the demo page in headless Chromium) against this application on a random
 * port. The suite's output is streamed into the build log (and written as JUnit XML to
 * {@code e2e.report}); any failing test fails the build.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleAppE2eIT {

	private static final long NPM_CI_TIMEOUT_MINUTES = 10;

	private static final long SUITE_TIMEOUT_MINUTES = 10;

	@LocalServerPort
	private int port;

	@Value("${realtime.apps[0].key}")
	private String appKey;

	/**
	 * The port WebSockets connect to: the application's own unless a transport has its own.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	@Test
	void endToEndSuitePasses() throws Exception {
		Path e2e = Path.of(System.getProperty("e2e.dir", "../e2e")).toAbsolutePath().normalize();
		assertThat(e2e.resolve("package-lock.json")).as("the e2e project").exists();
		if (!Files.isDirectory(e2e.resolve("node_modules"))) {
			assertThat(run(e2e, NPM_CI_TIMEOUT_MINUTES, "npm", "ci", "--no-audit", "--no-fund"))
				.as("npm ci in %s", e2e)
				.isZero();
		}
		Path report = Path.of(System.getProperty("e2e.report", "target/e2e-junit.xml")).toAbsolutePath()
			.resolveSibling(reportName());
		Files.createDirectories(report.getParent());
		int exitCode = run(e2e, SUITE_TIMEOUT_MINUTES, "node", "--test", "--test-concurrency=1",
				"--test-timeout=60000", "--test-reporter=spec", "--test-reporter-destination=stdout",
				"--test-reporter=junit", "--test-reporter-destination=" + report, suite());
		assertThat(exitCode).as("exit code of the e2e suite (node --test in %s)", e2e).isZero();
	}

	/**
	 * What the suite runs: a directory or file of {@code e2e/}.
	 * @return the path, relative to {@code e2e/}
	 */
	protected String suite() {
		return "tests/";
	}

	/**
	 * Add to the environment of the suite's process.
	 * @param environment the environment
	 */
	protected void environment(Map<String, String> environment) {
	}

	/**
	 * The JUnit XML file of this run of the suite.
	 * @return the file name
	 */
	protected String reportName() {
		return "e2e-junit.xml";
	}

	private int run(Path directory, long timeoutMinutes, String... command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile())
			.redirectErrorStream(true);
		builder.environment().put("REALTIME_URL", "http://127.0.0.1:" + this.port);
		builder.environment().put("REALTIME_KEY", this.appKey);
		builder.environment().put("REALTIME_WS_PORT", Integer.toString(webSocketPort()));
		builder.environment().put("NO_COLOR", "1");
		environment(builder.environment());
		Process process = builder.start();
		// Copy line by line through System.out: the forked test JVM's own stdout is a
		// channel Surefire/Failsafe reads, raw inherited output could corrupt it.
		Thread pump = new Thread(() -> copyLines(process), "e2e-output");
		pump.setDaemon(true);
		pump.start();
		if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			pump.join(TimeUnit.SECONDS.toMillis(5));
			throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutMinutes + " min");
		}
		pump.join(TimeUnit.SECONDS.toMillis(5));
		return process.exitValue();
	}

	private static void copyLines(Process process) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				System.out.println("[e2e] " + line);
			}
		}
		catch (IOException ex) {
			System.out.println("[e2e] output lost: " + ex);
		}
	}

}
