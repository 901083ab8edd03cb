package dev.realtime.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A raw Pusher client over the JDK WebSocket: sends JSON text, collects what the server
 * sends (with {@code data} decoded once, as pusher-js does) and the close code.
 */
final class PusherTestClient implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper json = JsonMapper.shared();

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final AtomicInteger pings = new AtomicInteger();

	private final WebSocket socket;

	private String socketId;

	/** How long the client pauses after each message before reading on. */
	private final Duration readDelay;

	private PusherTestClient(URI uri, Duration readDelay) {
		this(uri, readDelay, java.util.Map.of());
	}

	private PusherTestClient(URI uri, Duration readDelay, java.util.Map<String, String> headers) {
		this.readDelay = readDelay;
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
		headers.forEach(builder::header);
		this.socket = builder
			.buildAsync(uri, new Listener())
			.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.join();
	}

	/** Open a connection without waiting for the handshake. */
	static PusherTestClient open(int port, String path) {
		return new PusherTestClient(URI.create("ws://localhost:" + port + path), Duration.ZERO);
	}

	/** Open a connection with extra upgrade request headers, without waiting for the handshake. */
	static PusherTestClient open(int port, String path, java.util.Map<String, String> headers) {
		return new PusherTestClient(URI.create("ws://localhost:" + port + path), Duration.ZERO, headers);
	}

	/** Open a connection to app {@code key} and wait for connection_established. */
	static PusherTestClient connect(int port, String key) {
		return connect(port, key, Duration.ZERO);
	}

	/**
	 * Open a connection to app {@code key} that reads slowly: it pauses after each message,
	 * so the server's socket fills while it keeps reading.
	 */
	static PusherTestClient connect(int port, String key, Duration readDelay) {
		return established(new PusherTestClient(
				URI.create("ws://localhost:" + port + "/app/" + key + "?protocol=7&client=js&version=8.4.0"), readDelay));
	}

	/** Open a connection to app {@code key} with extra upgrade request headers and wait for connection_established. */
	static PusherTestClient connect(int port, String key, java.util.Map<String, String> headers) {
		return established(open(port, "/app/" + key + "?protocol=7&client=js&version=8.4.0", headers));
	}

	private static PusherTestClient established(PusherTestClient client) {
		JsonNode established = client.expect("pusher:connection_established");
		client.socketId = established.get("data").get("socket_id").stringValue();
		assertThat(client.socketId).matches("\\d+\\.\\d+");
		return client;
	}

	String socketId() {
		return this.socketId;
	}

	void send(String text) {
		this.socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	/** Send one text message as several WebSocket frames (a first frame and continuations). */
	void sendInParts(String... parts) {
		for (int i = 0; i < parts.length; i++) {
			this.socket.sendText(parts[i], i == parts.length - 1).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		}
	}

	void send(String event, Object data) {
		send(json.writeValueAsString(java.util.Map.of("event", event, "data", data)));
	}

	/**
	 * Send unless the server has closed the connection meanwhile (then the send fails with
	 * "Output closed", which a test provoking the close must not take for an error).
	 * @return whether it was sent
	 */
	boolean sendUnlessClosed(String event, Object data) {
		try {
			send(event, data);
			return true;
		}
		catch (java.util.concurrent.CompletionException ex) {
			if (ex.getCause() instanceof java.io.IOException && this.socket.isOutputClosed()) {
				return false;
			}
			throw ex;
		}
	}

	void sendOnChannel(String event, String channel, Object data) {
		send(json.writeValueAsString(java.util.Map.of("event", event, "channel", channel, "data", data)));
	}

	/** The next message, whatever it is (server pings included). */
	JsonNode next() {
		try {
			String text = this.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (text == null) {
				fail("Nothing received within " + TIMEOUT);
			}
			return decode(text);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next message within the given time, or {@code null}. */
	JsonNode poll(Duration within) {
		try {
			String text = this.received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
			return (text != null) ? decode(text) : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next message with the given event, skipping server pings. */
	JsonNode expect(String event) {
		for (;;) {
			JsonNode message = next();
			if (message.get("event").stringValue().equals("pusher:ping") && !event.equals("pusher:ping")) {
				continue;
			}
			assertThat(message.get("event").stringValue()).as("event of %s", message).isEqualTo(event);
			return message;
		}
	}

	/** Assert that nothing but pings arrives for a while. */
	void expectNothing(Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		try {
			for (;;) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				String text = this.received.poll(left, TimeUnit.NANOSECONDS);
				if (text != null && !text.contains("\"pusher:ping\"")) {
					fail("Expected nothing but got " + text);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The close code the server closed with. */
	int awaitClose() {
		return awaitClose(TIMEOUT);
	}

	/** The close code the server closed with, waiting up to the given time. */
	int awaitClose(Duration within) {
		return this.closed.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	/** How many WebSocket ping frames the server sent (the JDK answered each with a pong). */
	int pings() {
		return this.pings.get();
	}

	boolean isClosed() {
		return this.closed.isDone();
	}

	/** Close with a code, as a browser does, and wait for the server's close frame. */
	void closeWith(int code) {
		this.socket.sendClose(code, "bye").join();
		awaitClose();
	}

	@Override
	public void close() {
		if (!this.socket.isOutputClosed()) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		this.socket.abort();
	}

	private static JsonNode decode(String text) {
		JsonNode message = json.readTree(text);
		JsonNode data = message.get("data");
		if (data != null && data.isString()) {
			try {
				((tools.jackson.databind.node.ObjectNode) message).set("data", json.readTree(data.stringValue()));
			}
			catch (tools.jackson.core.JacksonException ex) {
				// Not JSON: pusher-js leaves such data a string too.
			}
		}
		return message;
	}

	static String raw(JsonNode message) {
		return json.writeValueAsString(message);
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				PusherTestClient.this.received.add(this.partial.toString());
				this.partial.setLength(0);
				pause();
			}
			webSocket.request(1);
			return null;
		}

		/** Holding up the listener keeps the client from reading the socket meanwhile. */
		private void pause() {
			if (!PusherTestClient.this.readDelay.isZero()) {
				try {
					Thread.sleep(PusherTestClient.this.readDelay.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@Override
		public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			PusherTestClient.this.pings.incrementAndGet();
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			PusherTestClient.this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			PusherTestClient.this.closed.complete(-1);
		}

	}

}
