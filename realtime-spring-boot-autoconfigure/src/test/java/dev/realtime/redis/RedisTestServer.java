package dev.realtime.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import redis.embedded.RedisServer;

/**
 * The Redis the tests talk to: the one at {@code REDIS_URL}, else 127.0.0.1:6379 when it
 * answers, else an embedded Redis (6.2) started once on a free port for the whole run
 * ({@code REDIS_EMBEDDED=true} forces the embedded one, to check Redis 6.2).
 */
final class RedisTestServer {

	private static String uri;

	private RedisTestServer() {
	}

	static synchronized String uri() {
		if (uri == null) {
			uri = locate();
		}
		return uri;
	}

	private static String locate() {
		String configured = System.getenv("REDIS_URL");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if (!"true".equals(System.getenv("REDIS_EMBEDDED")) && answersPing("127.0.0.1", 6379)) {
			return "redis://127.0.0.1:6379";
		}
		try {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			RedisServer server = new RedisServer(port);
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// Exiting anyway.
				}
			}));
			return "redis://127.0.0.1:" + port;
		}
		catch (IOException ex) {
			throw new IllegalStateException("No Redis at 127.0.0.1:6379 and the embedded one did not start", ex);
		}
	}

	static boolean answersPing(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 300);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
