package dev.realtime.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Misbehaving clients for the abuse scenario, each a thread with a deadline, on loopback
 * source addresses of their own (127.0.1.x, never those of the well-behaved subscribers):
 * a connection flood, a subscribe flood, a ping flood, oversized auth bodies and
 * random-name channel churn. Each counts what it did and what the server answered.
 */
final class Abusers {

	/** One kind of abuse and its counters. */
	static final class Kind {

		final String name;

		final LongAdder attempts = new LongAdder();

		final LongAdder admitted = new LongAdder();

		final LongAdder refused = new LongAdder();

		final LongAdder messages = new LongAdder();

		final LongAdder closedByServer = new LongAdder();

		Kind(String name) {
			this.name = name;
		}

		@Override
		public String toString() {
			return String.format("%-22s attempts %7d, admitted %6d, refused %6d, messages sent %8d, closed by server %6d",
					this.name, this.attempts.sum(), this.admitted.sum(), this.refused.sum(), this.messages.sum(),
					this.closedByServer.sum());
		}

	}

	private final String host;

	private final int wsPort;

	private final int httpPort;

	private final String key;

	private final List<Kind> kinds = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile long deadlineNanos;

	Abusers(String host, int wsPort, int httpPort, String key) {
		this.host = host;
		this.wsPort = wsPort;
		this.httpPort = httpPort;
		this.key = key;
	}

	/** Start every abuser for the given time; returns at once. */
	void start(Duration duration, int floodThreads) {
		this.deadlineNanos = System.nanoTime() + duration.toNanos();
		Kind connections = kind("connection flood");
		Kind subscribes = kind("subscribe flood");
		Kind pings = kind("ping flood");
		Kind auth = kind("oversized auth bodies");
		Kind churn = kind("random channel churn");
		for (int i = 0; i < floodThreads; i++) {
			String connectFrom = "127.0.1." + (10 + i);
			String subscribeFrom = "127.0.1." + (40 + i);
			String pingFrom = "127.0.1." + (70 + i);
			String churnFrom = "127.0.1." + (100 + i);
			spawn("abuse-connect-" + i, () -> connectionFlood(connections, connectFrom));
			spawn("abuse-subscribe-" + i, () -> messageFlood(subscribes, subscribeFrom, true));
			spawn("abuse-ping-" + i, () -> messageFlood(pings, pingFrom, false));
			spawn("abuse-churn-" + i, () -> churn(churn, churnFrom));
		}
		spawn("abuse-auth", () -> oversizedAuth(auth));
	}

	/** Wait for every abuser to stop (each stops at the deadline). */
	void join() throws InterruptedException {
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

	List<Kind> kinds() {
		return this.kinds;
	}

	private Kind kind(String name) {
		Kind kind = new Kind(name);
		this.kinds.add(kind);
		return kind;
	}

	private void spawn(String name, Runnable body) {
		Thread thread = new Thread(body, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private boolean running() {
		return System.nanoTime() < this.deadlineNanos;
	}

	/** Open connections as fast as the server answers, keep up to 200 of them open. */
	private void connectionFlood(Kind kind, String source) {
		List<RawSocket> held = new ArrayList<>();
		while (running()) {
			kind.attempts.increment();
			try {
				RawSocket socket = RawSocket.open(source, this.host, this.wsPort, "/app/" + this.key + "?protocol=7");
				String first = socket.readText(Duration.ofSeconds(5));
				if (first != null && first.contains("connection_established")) {
					kind.admitted.increment();
					held.add(socket);
					if (held.size() > 200) {
						held.remove(0).close();
					}
				}
				else {
					kind.refused.increment();
					socket.close();
				}
			}
			catch (IOException ex) {
				kind.refused.increment();
			}
		}
		held.forEach(RawSocket::close);
	}

	/** One connection at a time sending subscribes (random channels) or pings nonstop; reconnect when closed. */
	private void messageFlood(Kind kind, String source, boolean subscribe) {
		while (running()) {
			kind.attempts.increment();
			try (RawSocket socket = RawSocket.open(source, this.host, this.wsPort, "/app/" + this.key + "?protocol=7")) {
				String first = socket.readText(Duration.ofSeconds(5));
				if (first == null || !first.contains("connection_established")) {
					kind.refused.increment();
					Thread.sleep(100);
					continue;
				}
				kind.admitted.increment();
				socket.drainInBackground();
				while (running() && !socket.isClosed()) {
					String message = subscribe
							? "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"flood-"
									+ ThreadLocalRandom.current().nextInt(1_000_000) + "\"}}"
							: "{\"event\":\"pusher:ping\",\"data\":{}}";
					socket.sendText(message);
					kind.messages.increment();
				}
				if (socket.isClosed()) {
					kind.closedByServer.increment();
				}
			}
			catch (IOException ex) {
				kind.closedByServer.increment();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Subscribe to a random channel and leave it, within the message rate: 10 a second. */
	private void churn(Kind kind, String source) {
		while (running()) {
			kind.attempts.increment();
			try (RawSocket socket = RawSocket.open(source, this.host, this.wsPort, "/app/" + this.key + "?protocol=7")) {
				String first = socket.readText(Duration.ofSeconds(5));
				if (first == null || !first.contains("connection_established")) {
					kind.refused.increment();
					Thread.sleep(100);
					continue;
				}
				kind.admitted.increment();
				socket.drainInBackground();
				while (running() && !socket.isClosed()) {
					String channel = "churn-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
					socket.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
					socket.sendText("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
					kind.messages.add(2);
					Thread.sleep(200);
				}
				if (socket.isClosed()) {
					kind.closedByServer.increment();
				}
			}
			catch (IOException ex) {
				kind.closedByServer.increment();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** 1 MB form bodies to the auth endpoint, four at a time. */
	private void oversizedAuth(Kind kind) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String body = "socket_id=1.1&channel_name=private-x&pad=" + "x".repeat(1 << 20);
		URI uri = URI.create("http://" + this.host + ":" + this.httpPort + "/broadcasting/auth");
		List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
		while (running()) {
			while (inFlight.size() < 4) {
				kind.attempts.increment();
				inFlight.add(http.sendAsync(HttpRequest.newBuilder(uri)
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
						if (failure == null && response.statusCode() < 400) {
							kind.admitted.increment();
						}
						else {
							kind.refused.increment();
						}
					}));
			}
			inFlight.removeIf(java.util.concurrent.CompletableFuture::isDone);
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * The smallest blocking WebSocket client that can misbehave: an upgrade by hand, masked
	 * text frames out, frames in read and thrown away.
	 */
	static final class RawSocket implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		private volatile boolean closed;

		private RawSocket(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
		}

		static RawSocket open(String source, String host, int port, String path) throws IOException {
			Socket socket = new Socket();
			socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
			socket.connect(new InetSocketAddress(host, port), 5000);
			socket.setSoTimeout(5000);
			RawSocket raw = new RawSocket(socket);
			byte[] nonce = new byte[16];
			ThreadLocalRandom.current().nextBytes(nonce);
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
			raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
			raw.out.flush();
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int b = raw.in.read();
				if (b < 0 || head.length() > 8192) {
					socket.close();
					throw new IOException("No upgrade: " + head);
				}
				head.append((char) b);
			}
			if (!head.toString().startsWith("HTTP/1.1 101")) {
				socket.close();
				throw new IOException("Refused: " + head.substring(0, head.indexOf("\r\n")));
			}
			return raw;
		}

		/** The next text frame's payload, or {@code null} on a close frame, a timeout or end of stream. */
		String readText(Duration within) throws IOException {
			this.socket.setSoTimeout((int) within.toMillis());
			try {
				for (;;) {
					int b0 = this.in.read();
					int b1 = this.in.read();
					if (b0 < 0 || b1 < 0) {
						this.closed = true;
						return null;
					}
					long length = b1 & 0x7F;
					if (length == 126) {
						length = (this.in.read() << 8) | this.in.read();
					}
					else if (length == 127) {
						length = 0;
						for (int i = 0; i < 8; i++) {
							length = (length << 8) | this.in.read();
						}
					}
					byte[] payload = this.in.readNBytes((int) length);
					int opcode = b0 & 0x0F;
					if (opcode == 8) {
						this.closed = true;
						return null;
					}
					if (opcode == 1) {
						return new String(payload, StandardCharsets.UTF_8);
					}
				}
			}
			catch (java.net.SocketTimeoutException ex) {
				return null;
			}
		}

		/** Read and drop everything on a thread of its own, noting the close. */
		void drainInBackground() {
			Thread reader = new Thread(() -> {
				try {
					while (!this.closed) {
						readText(Duration.ofSeconds(30));
					}
				}
				catch (IOException ex) {
					this.closed = true;
				}
			}, "abuse-reader");
			reader.setDaemon(true);
			reader.start();
		}

		boolean isClosed() {
			return this.closed || this.socket.isClosed();
		}

		void sendText(String text) throws IOException {
			byte[] payload = text.getBytes(StandardCharsets.UTF_8);
			byte[] mask = new byte[4];
			ThreadLocalRandom.current().nextBytes(mask);
			int header = (payload.length < 126) ? 6 : 8;
			byte[] frame = new byte[header + payload.length];
			frame[0] = (byte) 0x81;
			if (payload.length < 126) {
				frame[1] = (byte) (0x80 | payload.length);
			}
			else {
				frame[1] = (byte) (0x80 | 126);
				frame[2] = (byte) (payload.length >> 8);
				frame[3] = (byte) payload.length;
			}
			System.arraycopy(mask, 0, frame, header - 4, 4);
			for (int i = 0; i < payload.length; i++) {
				frame[header + i] = (byte) (payload[i] ^ mask[i % 4]);
			}
			this.out.write(frame);
		}

		@Override
		public void close() {
			this.closed = true;
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// gone
			}
		}

	}

}
