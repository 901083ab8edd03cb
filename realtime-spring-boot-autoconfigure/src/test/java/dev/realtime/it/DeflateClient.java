package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client over a raw socket that offers permessage-deflate (RFC 7692) and shows
 * what is on the wire: each frame's RSV1 bit and payload as sent, compressed or not. It
 * compresses its own messages without context takeover, as the servers ask.
 */
final class DeflateClient implements AutoCloseable {

	static final String OFFER = "permessage-deflate; client_max_window_bits";

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final Map<String, String> responseHeaders = new LinkedHashMap<>();

	private final SecureRandom random = new SecureRandom();

	private DeflateClient(Socket socket) throws IOException {
		this.socket = socket;
		socket.setSoTimeout(10_000);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Open a WebSocket on {@code socket}, offering {@code offer} (none when {@code null}).
	 */
	static DeflateClient open(Socket socket, String path, String offer) throws IOException {
		DeflateClient client = new DeflateClient(socket);
		String key = Base64.getEncoder().encodeToString(client.random.generateSeed(16));
		String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
				+ ((offer != null) ? "Sec-WebSocket-Extensions: " + offer + "\r\n" : "") + "\r\n";
		client.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
		client.out.flush();
		String status = client.line();
		if (!status.contains(" 101 ")) {
			throw new IOException("Upgrade refused: " + status);
		}
		String line;
		while (!(line = client.line()).isEmpty()) {
			int colon = line.indexOf(':');
			client.responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
					line.substring(colon + 1).trim());
		}
		return client;
	}

	/** The server's {@code Sec-WebSocket-Extensions} answer, or {@code null}. */
	String extensions() {
		return this.responseHeaders.get("sec-websocket-extensions");
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/** Read the next frame as it is on the wire. */
	WireFrame read() throws IOException {
		int first = this.in.readUnsignedByte();
		int second = this.in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte[] payload = new byte[Math.toIntExact(length)];
		this.in.readFully(payload);
		return new WireFrame((first & 0x80) != 0, (first & 0x40) != 0, first & 0x0F, payload);
	}

	/** Read frames until a text message arrives; its text, inflated if it was compressed. */
	WireFrame readText() throws IOException {
		while (true) {
			WireFrame frame = read();
			if (frame.opcode() == 0x1 || frame.opcode() == 0x8) {
				return frame;
			}
		}
	}

	/** Send a text message, compressed (RSV1) or not. */
	void sendText(String text, boolean compressed) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		sendFrame(compressed ? deflate(payload) : payload, compressed);
	}

	/** Send a text frame with this payload as is, RSV1 set when {@code compressed}. */
	void sendFrame(byte[] payload, boolean compressed) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x80 | (compressed ? 0x40 : 0) | 0x1);
		int length = payload.length;
		if (length < 126) {
			frame.write(0x80 | length);
		}
		else if (length <= 0xFFFF) {
			frame.write(0x80 | 126);
			frame.write(length >>> 8);
			frame.write(length);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) length >>> shift));
			}
		}
		byte[] mask = new byte[4];
		this.random.nextBytes(mask);
		frame.write(mask);
		byte[] masked = payload.clone();
		for (int i = 0; i < masked.length; i++) {
			masked[i] ^= mask[i & 3];
		}
		frame.write(masked);
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/** Raw deflate with a sync flush, its {@code 00 00 FF FF} tail removed (RFC 7692). */
	static byte[] deflate(byte[] payload) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		deflater.setInput(payload);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] chunk = new byte[64 * 1024];
		int n;
		do {
			n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
			out.write(chunk, 0, n);
		}
		while (n == chunk.length || !deflater.needsInput());
		deflater.end();
		byte[] bytes = out.toByteArray();
		return Arrays.copyOf(bytes, bytes.length - 4);
	}

	/** Messages compressed with one deflater kept across them (context takeover). */
	static byte[][] deflateWithContext(byte[]... payloads) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		byte[][] messages = new byte[payloads.length][];
		for (int i = 0; i < payloads.length; i++) {
			deflater.setInput(payloads[i]);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] chunk = new byte[64 * 1024];
			int n;
			do {
				n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
				out.write(chunk, 0, n);
			}
			while (n == chunk.length || !deflater.needsInput());
			byte[] bytes = out.toByteArray();
			messages[i] = Arrays.copyOf(bytes, bytes.length - 4);
		}
		deflater.end();
		return messages;
	}

	static byte[] inflate(byte[] compressed) {
		Inflater inflater = new Inflater(true);
		byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
		input[compressed.length + 2] = (byte) 0xFF;
		input[compressed.length + 3] = (byte) 0xFF;
		inflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		try {
			int n;
			while ((n = inflater.inflate(chunk)) > 0) {
				out.write(chunk, 0, n);
			}
		}
		catch (java.util.zip.DataFormatException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			inflater.end();
		}
		return out.toByteArray();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}


	/**
	 * One frame as received.
	 * @param fin the FIN bit
	 * @param rsv1 the RSV1 bit: compressed
	 * @param opcode the opcode
	 * @param payload the payload as on the wire
	 */
	record WireFrame(boolean fin, boolean rsv1, int opcode, byte[] payload) {

		/** The text, inflated when the frame is compressed. */
		String text() {
			return new String(this.rsv1 ? inflate(this.payload) : this.payload, StandardCharsets.UTF_8);
		}

		/** A close frame's status code. */
		int closeCode() {
			return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

	}

}
