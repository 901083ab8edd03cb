package dev.realtime.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a real server, whose connections a test can cut: the
 * client sees its connection dropped as if the server had gone, and reconnects through
 * the proxy.
 */
final class CuttableProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean refusing;

	CuttableProxy(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.listener.getLocalPort();
	}

	/** Close every open connection and refuse new ones until {@link #restore()}. */
	void cut() {
		this.refusing = true;
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closed already.
			}
		}
		this.sockets.clear();
	}

	void restore() {
		this.refusing = false;
	}

	@Override
	public void close() throws IOException {
		cut();
		this.listener.close();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.refusing) {
					client.close();
					continue;
				}
				Socket server = new Socket();
				server.connect(this.target, 1000);
				this.sockets.add(client);
				this.sockets.add(server);
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				// Listener closed, or the target refused: the client retries.
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// Cut.
			}
			finally {
				try {
					from.close();
					to.close();
				}
				catch (IOException ex) {
					// Closed already.
				}
			}
		}, "proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

}
