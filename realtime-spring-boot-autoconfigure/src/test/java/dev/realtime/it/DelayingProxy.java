package dev.realtime.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that delays every chunk of bytes, in both directions, by a
 * random time in a range while keeping their order: Redis behind it hears commands late
 * and its replies arrive late, as over a slow network.
 */
final class DelayingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final long minDelayMillis;

	private final long maxDelayMillis;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	DelayingProxy(String redisUri, long minDelayMillis, long maxDelayMillis) throws IOException {
		URI uri = URI.create(redisUri);
		this.targetHost = uri.getHost();
		this.targetPort = (uri.getPort() > 0) ? uri.getPort() : 6379;
		this.minDelayMillis = minDelayMillis;
		this.maxDelayMillis = maxDelayMillis;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress("127.0.0.1", 0));
		start("proxy-accept", this::accept);
	}

	/** The URI to give the node instead of Redis's (same scheme, credentials and database). */
	String uri(String redisUri) {
		URI uri = URI.create(redisUri);
		return uri.getScheme() + "://" + ((uri.getRawUserInfo() != null) ? uri.getRawUserInfo() + "@" : "")
				+ "127.0.0.1:" + this.server.getLocalPort() + ((uri.getRawPath() != null) ? uri.getRawPath() : "");
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Socket redis = new Socket(this.targetHost, this.targetPort);
				client.setTcpNoDelay(true);
				redis.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(redis);
				pipe(client, redis);
				pipe(redis, client);
			}
			catch (IOException ex) {
				// Closed, or Redis refused: the node reconnects.
			}
		}
	}

	/** Copy one direction: a reader stamps each chunk with its due time, a writer waits for it. */
	private void pipe(Socket from, Socket to) {
		BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
		start("proxy-read", () -> {
			long lastDue = 0;
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					long delay = ThreadLocalRandom.current().nextLong(this.minDelayMillis, this.maxDelayMillis + 1);
					lastDue = Math.max(lastDue, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
					chunks.add(new Chunk(Arrays.copyOf(buffer, read), lastDue));
				}
			}
			catch (IOException ex) {
				// The socket closed.
			}
			chunks.add(new Chunk(null, lastDue));
		});
		start("proxy-write", () -> {
			try (OutputStream out = to.getOutputStream()) {
				for (;;) {
					Chunk chunk = chunks.take();
					long wait = chunk.due() - System.nanoTime();
					if (wait > 0) {
						TimeUnit.NANOSECONDS.sleep(wait);
					}
					if (chunk.bytes() == null) {
						break;
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// The socket closed.
			}
			closeQuietly(from);
			closeQuietly(to);
		});
	}

	private static void start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.server.close();
		this.sockets.forEach(DelayingProxy::closeQuietly);
	}

	private record Chunk(byte[] bytes, long due) {
	}

}
