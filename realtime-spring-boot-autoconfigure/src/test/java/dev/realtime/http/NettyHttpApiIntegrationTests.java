package dev.realtime.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pusher.rest.Pusher;
import dev.realtime.netty.NettyRealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API cases again, asked on the Netty transport's port
 * ({@code realtime.transport=netty}), which serves {@code /apps/...} with the same
 * {@link HttpApi} as the MVC endpoints; plus what only that port has to get right: the
 * WebSocket endpoint beside it, and paths that are neither.
 */
@SpringBootTest(classes = HttpApiIntegrationTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=3", "realtime.apps[0].key=278d425bdf160c739803",
				"realtime.apps[0].secret=7ad3773142a6692b25b8", "realtime.http-api.max-payload-size=1KB",
				"realtime.transport=netty", "realtime.netty.port=0", "realtime.netty.handshake-timeout=2s",
				"realtime.netty.api-idle-timeout=4s" })
class NettyHttpApiIntegrationTests extends HttpApiIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int apiPort() {
		return this.server.port();
	}

	@Test
	void theWebSocketEndpointStillAnswersBesideTheApi() throws Exception {
		Pusher sdk = new Pusher("3", "278d425bdf160c739803", "7ad3773142a6692b25b8");
		sdk.setHost("localhost:" + apiPort());
		assertThat(sdk.trigger("orders", "e", "x").getHttpStatus()).isEqualTo(200);
		sdk.close();
		LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + apiPort() + "/app/278d425bdf160c739803?protocol=7"),
					new WebSocket.Listener() {

						@Override
						public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
							frames.add(data.toString());
							webSocket.request(1);
							return null;
						}

					})
			.get(10, TimeUnit.SECONDS);
		assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("pusher:connection_established");
		socket.abort();
	}

	@Test
	void anApiConnectionIsKeptAliveBeyondTheHandshakeTimeout() throws Exception {
		try (Socket socket = new Socket("localhost", apiPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			String request = "GET /apps/99/channels HTTP/1.1\r\nHost: localhost\r\n\r\n";
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponse(in)).startsWith("HTTP/1.1 404").contains("Unknown app 99");
			// Past realtime.netty.handshake-timeout, which closes a connection still waiting to upgrade.
			Thread.sleep(3000);
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponse(in)).startsWith("HTTP/1.1 404").contains("Unknown app 99");
			out.write("GET /elsewhere HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponse(in)).startsWith("HTTP/1.1 404").contains("Only the HTTP API");
		}
	}

	@Test
	void anApiConnectionIdleBetweenRequestsForTheIdleTimeoutIsClosed() throws Exception {
		try (Socket socket = new Socket("localhost", apiPort())) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write("GET /apps/99/channels HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponse(in)).startsWith("HTTP/1.1 404");
			long answeredAt = System.nanoTime();
			// Closed by the server (end of stream), not by the read timeout, and not before
			// realtime.netty.api-idle-timeout (4s).
			assertThat(in.read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - answeredAt)).isGreaterThan(Duration.ofMillis(3500));
		}
	}

	@Test
	void aMultipartBodyIsRefusedWith415BeforeItIsRead() throws Exception {
		try (Socket socket = new Socket("localhost", apiPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			// Only the start of a chunked body: the answer must not wait for the rest.
			String start = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n" + "x".repeat(500);
			out.write(("POST /apps/3/events HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ Integer.toHexString(start.length()) + "\r\n" + start + "\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 415")
				.contains("Multipart bodies are not accepted here: send application/json");
		}
	}

	@Test
	void aBodyRefusedAsTooLargeIsStillReadToItsEndBeforeTheConnectionCloses() throws Exception {
		try (Socket socket = new Socket("localhost", apiPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			int length = 400_000;
			out.write(("POST /apps/3/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[8192];
			out.write(chunk);
			out.flush();
			InputStream in = socket.getInputStream();
			assertThat(readResponse(in)).startsWith("HTTP/1.1 413").contains("Request body too large");
			Thread.sleep(200);
			// A server closing at once would reset the connection under the client's writes
			// (and the client could lose the answer): it reads the rest, then closes.
			for (int sent = chunk.length; sent < length; sent += chunk.length) {
				out.write(chunk, 0, Math.min(chunk.length, length - sent));
			}
			out.flush();
			assertThat(in.read()).isEqualTo(-1);
		}
	}

	/** One response with a Content-Length body, read as it is. */
	private static String readResponse(InputStream in) throws Exception {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			assertThat(next).as("connection closed after: " + head).isNotNegative();
			head.append((char) next);
		}
		Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
		assertThat(length.find()).isTrue();
		byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
		return head + new String(body, StandardCharsets.UTF_8);
	}

	@Test
	void anUnknownApiPathIsNotFound() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort() + "/apps/3/nothing"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("No HTTP API endpoint at /apps/3/nothing");
	}

}
