package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket, for what a well-behaved client library never does:
 * many frames in one write, pings without reading, a receive buffer that stays full.
 * Frames are built by hand (masked, as RFC 6455 requires of clients).
 */
final class RawWebSocket implements AutoCloseable {

	static final int TEXT = 0x1;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	/**
	 * Open a connection and upgrade it.
	 * @param port the Netty port
	 * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the default
	 */
	static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		if (receiveBuffer > 0) {
			// Before connecting, so that the TCP window is advertised small from the start.
			socket.setReceiveBufferSize(receiveBuffer);
		}
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setSoTimeout(10_000);
		RawWebSocket ws = new RawWebSocket(socket);
		ws.out.write(("GET /app/test-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
				+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		ws.out.flush();
		String head = ws.readHead();
		if (!head.startsWith("HTTP/1.1 101")) {
			throw new IOException("Upgrade refused: " + head);
		}
		return ws;
	}

	private String readHead() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				throw new IOException("Closed during the upgrade: " + head);
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** A masked client frame. */
	static byte[] frame(int opcode, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write(0x80 | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xff);
		}
		byte[] mask = { 1, 2, 3, 4 };
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	static byte[] text(String text) {
		return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/**
	 * The next text message's payload, skipping other frames.
	 * @return the text, or {@code null} once the server closed
	 */
	String readText() throws IOException {
		while (true) {
			int first = this.in.read();
			if (first < 0) {
				return null;
			}
			int second = this.in.read();
			long length = second & 0x7f;
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
			int opcode = first & 0x0f;
			if (opcode == CLOSE) {
				return null;
			}
			if (opcode == TEXT) {
				return new String(payload, StandardCharsets.UTF_8);
			}
		}
	}

	/** Read text messages until one contains the given text. */
	String readUntil(String contained) throws IOException {
		String text;
		while ((text = readText()) != null) {
			if (text.contains(contained)) {
				return text;
			}
		}
		throw new IOException("Closed before a message containing " + contained);
	}

	/**
	 * Whether the server closed the connection: reads (and drops) whatever is left until the
	 * end of the stream.
	 */
	boolean closedByServer() {
		try {
			byte[] buffer = new byte[64 * 1024];
			while (this.in.read(buffer) >= 0) {
				// Drop what the server queued before closing.
			}
			return true;
		}
		catch (IOException ex) {
			// Reset by the server: closed as well.
			return !ex.getClass().getSimpleName().equals("SocketTimeoutException");
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
