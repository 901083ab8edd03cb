package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.netty.NettyRealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side of the Netty transport over raw sockets: what is not a WebSocket upgrade
 * to the endpoint gets a plain HTTP error, origins are checked, idle TCP connections are
 * dropped, and refused Pusher connections get their error and close code.
 */
class NettyHandshakeIntegrationTests {

	private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
			+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
		.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.address=127.0.0.1",
				"realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=s");

	private void withServer(PortTest test, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((AssertableApplicationContext context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context.getBean(NettyRealtimeServer.class).port());
		});
	}

	@Test
	void unknownPathIsAnswered404WithATextBody() {
		withServer((port) -> {
			Response response = Response.of(port, "GET /nope HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n");
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.headers().get("content-type")).startsWith("text/plain");
			assertThat(response.body()).contains("/nope");
			assertThat(response.closed()).isTrue();
		});
	}

	@Test
	void pathWithAKeyAndMoreSegmentsIsNotTheEndpoint() {
		withServer((port) -> assertThat(Response
			.of(port, "GET /app/test-key/more?protocol=7 HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE + "\r\n")
			.status()).isEqualTo(404));
	}

	@Test
	void plainGetOnTheEndpointIsAnswered400() {
		withServer((port) -> {
			Response response = Response.of(port, "GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.headers().get("content-type")).startsWith("text/plain");
			assertThat(response.body()).contains("WebSocket upgrade");
			assertThat(response.closed()).isTrue();
		});
	}

	@Test
	void postWithUpgradeHeadersIsAnswered400() {
		withServer((port) -> assertThat(Response
			.of(port, "POST /app/test-key HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n" + UPGRADE + "\r\n")
			.status()).isEqualTo(400));
	}

	@Test
	void upgradeWithoutAKeyIsAnswered400() {
		withServer((port) -> {
			Response response = Response.of(port, "GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost\r\n"
					+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body()).contains("missing key");
			assertThat(response.closed()).isTrue();
		});
	}

	@Test
	void unsupportedWebSocketVersionIsAnswered426() {
		withServer((port) -> {
			Response response = Response.of(port,
					"GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost\r\n" + UPGRADE.replace(": 13", ": 99")
							+ "\r\n");
			assertThat(response.status()).isEqualTo(426);
			assertThat(response.headers().get("sec-websocket-version")).isEqualTo("13");
		});
	}

	@Test
	void upgradeOnTheEndpointSwitchesProtocols() {
		withServer((port) -> assertThat(upgrade(port, null)).isEqualTo(101));
	}

	@Test
	void withOriginPatternsOnlyMatchingOriginsAndClientsWithoutOriginMayConnect() {
		withServer((port) -> {
			assertThat(upgrade(port, "https://app.example.com")).isEqualTo(101);
			assertThat(upgrade(port, "HTTPS://APP.EXAMPLE.COM")).isEqualTo(101);
			assertThat(upgrade(port, "http://localhost:3000")).isEqualTo(101);
			assertThat(upgrade(port, "http://localhost")).isEqualTo(101);
			assertThat(upgrade(port, "https://example.com")).isEqualTo(403);
			assertThat(upgrade(port, "https://evil.example.org")).isEqualTo(403);
			assertThat(upgrade(port, "http://127.0.0.1:" + port)).isEqualTo(403);
			assertThat(upgrade(port, null)).isEqualTo(101);
		}, "realtime.allowed-origin-patterns=https://*.example.com,http://localhost:[*]");
	}

	@Test
	void forbiddenOriginIsAnswered403WithATextBody() {
		withServer((port) -> {
			Response response = Response.of(port, "GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost:" + port
					+ "\r\nOrigin: https://evil.example.org\r\n" + UPGRADE + "\r\n");
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.headers().get("content-type")).startsWith("text/plain");
			assertThat(response.body()).contains("Origin");
			assertThat(response.closed()).isTrue();
		}, "realtime.allowed-origin-patterns=https://app.example.com");
	}

	@Test
	void withoutOriginPatternsSameOriginPagesAndClientsWithoutOriginMayConnect() {
		withServer((port) -> {
			assertThat(upgrade(port, "http://localhost:" + port)).isEqualTo(101);
			assertThat(upgrade(port, "http://LOCALHOST:" + port)).isEqualTo(101);
			assertThat(upgrade(port, "http://localhost:8080")).isEqualTo(101);
			assertThat(upgrade(port, null)).isEqualTo(101);
			assertThat(upgrade(port, "http://localhost:9999")).isEqualTo(403);
			assertThat(upgrade(port, "https://localhost:" + port)).isEqualTo(403);
			assertThat(upgrade(port, "https://LOCALHOST")).isEqualTo(403);
			assertThat(upgrade(port, "http://other.example:8080")).isEqualTo(403);
			assertThat(upgrade(port, "http://127.0.0.1:8080")).isEqualTo(403);
			assertThat(upgrade(port, "http://localhost.evil.example")).isEqualTo(403);
			assertThat(upgrade(port, "null")).isEqualTo(403);
		}, "server.port=8080");
	}

	@Test
	void aTcpConnectionThatNeverSendsTheUpgradeIsClosedAfterTheHandshakeTimeout() {
		withServer((port) -> {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(5000);
				long start = System.nanoTime();
				assertThat(socket.getInputStream().read()).isEqualTo(-1);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250))
					.isLessThan(Duration.ofSeconds(3));
			}
		}, "realtime.netty.handshake-timeout=300ms");
	}

	@Test
	void anUnfinishedUpgradeRequestIsClosedAfterTheHandshakeTimeout() {
		withServer((port) -> {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(5000);
				socket.getOutputStream()
					.write("GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(socket.getInputStream().read()).isEqualTo(-1);
			}
		}, "realtime.netty.handshake-timeout=300ms");
	}

	@Test
	void anUpgradedConnectionOutlivesTheHandshakeTimeout() {
		withServer((port) -> {
			try (PusherTestClient client = PusherTestClient.connect(port, "test-key")) {
				client.expectNothing(Duration.ofMillis(800));
				client.send("pusher:ping", Map.of());
				client.expect("pusher:pong");
				assertThat(client.isClosed()).isFalse();
			}
		}, "realtime.netty.handshake-timeout=300ms");
	}

	@Test
	void unknownAppKeyIsAnsweredWithError4001AndClosed() {
		withServer((port) -> {
			try (PusherTestClient client = PusherTestClient.open(port, "/app/nope?protocol=7")) {
				assertThat(client.expect("pusher:error").get("data").get("code").asInt()).isEqualTo(4001);
				assertThat(client.awaitClose()).isEqualTo(4001);
			}
		});
	}

	@Test
	void missingProtocolIsAnsweredWithError4008AndClosed() {
		withServer((port) -> {
			try (PusherTestClient client = PusherTestClient.open(port, "/app/test-key")) {
				assertThat(client.expect("pusher:error").get("data").get("code").asInt()).isEqualTo(4008);
				assertThat(client.awaitClose()).isEqualTo(4008);
			}
		});
	}

	@Test
	void aPathWithoutKeyServesTheDefaultApp() {
		withServer((port) -> {
			try (PusherTestClient client = PusherTestClient.open(port, "/ws?protocol=7")) {
				client.expect("pusher:connection_established");
			}
		}, "realtime.path=/ws");
	}

	/** A test against the server's port. */
	@FunctionalInterface
	private interface PortTest {

		void accept(int port) throws Exception;

	}

	/** The status of an upgrade request to the endpoint with the given origin. */
	private static int upgrade(int port, String origin) throws IOException {
		String request = "GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
				+ ((origin != null) ? "Origin: " + origin + "\r\n" : "") + UPGRADE + "\r\n";
		return Response.of(port, request).status();
	}

	/**
	 * An HTTP response read from a raw socket: up to the end of the headers for a 101, to
	 * the end of the stream otherwise (the server closes after an error).
	 */
	private record Response(int status, Map<String, String> headers, String body, boolean closed) {

		static Response of(int port, String request) throws IOException {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(5000);
				OutputStream out = socket.getOutputStream();
				out.write(request.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				ByteArrayOutputStream read = new ByteArrayOutputStream();
				String text;
				int end;
				for (;;) {
					int b = in.read();
					if (b < 0) {
						throw new IOException("Closed before the end of the headers: " + read);
					}
					read.write(b);
					text = read.toString(StandardCharsets.ISO_8859_1);
					end = text.indexOf("\r\n\r\n");
					if (end >= 0) {
						break;
					}
				}
				String[] lines = text.substring(0, end).split("\r\n");
				int status = Integer.parseInt(lines[0].split(" ")[1]);
				Map<String, String> headers = new LinkedHashMap<>();
				for (int i = 1; i < lines.length; i++) {
					int colon = lines[i].indexOf(':');
					headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).trim());
				}
				if (status == 101) {
					return new Response(status, headers, "", false);
				}
				ByteArrayOutputStream body = new ByteArrayOutputStream();
				boolean closed;
				try {
					in.transferTo(body);
					closed = true;
				}
				catch (SocketTimeoutException ex) {
					closed = false;
				}
				return new Response(status, headers, body.toString(StandardCharsets.UTF_8), closed);
			}
		}

	}

}
