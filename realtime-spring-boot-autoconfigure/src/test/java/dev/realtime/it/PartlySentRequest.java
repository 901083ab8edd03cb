package dev.realtime.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.fail;

/**
 * An HTTP/1.1 request on a plain socket whose body is only begun: the head and the first
 * bytes of the body are sent, the rest never is. A server that reads the whole body before
 * answering never answers it, so an answer proves the body was refused unread.
 */
final class PartlySentRequest {

	/** How long to wait for the answer: generous, a refusal takes milliseconds. */
	private static final int ANSWER_TIMEOUT_MILLIS = 10_000;

	private final StringBuilder head = new StringBuilder();

	private final String path;

	private PartlySentRequest(String method, String path) {
		this.path = path;
		this.head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
	}

	static PartlySentRequest post(String path) {
		return new PartlySentRequest("POST", path);
	}

	PartlySentRequest header(String name, String value) {
		this.head.append(name).append(": ").append(value).append("\r\n");
		return this;
	}

	/**
	 * Send the head and the start of the body as they are (the head announces its length),
	 * then wait for the answer without sending the rest.
	 */
	Answer sendOnly(int port, byte[] bodyStart) throws IOException {
		return exchange(port, bodyStart);
	}

	/**
	 * Send the head with {@code Transfer-Encoding: chunked} and the start of the body as one
	 * chunk, then wait for the answer without sending further chunks.
	 */
	Answer sendChunkedOnly(int port, byte[] bodyStart) throws IOException {
		header("Transfer-Encoding", "chunked");
		ByteArrayOutputStream chunk = new ByteArrayOutputStream();
		chunk.writeBytes((Integer.toHexString(bodyStart.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		chunk.writeBytes(bodyStart);
		chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		return exchange(port, chunk.toByteArray());
	}

	private Answer exchange(int port, byte[] bodyStart) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write((this.head + "Host: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(bodyStart);
			out.flush();
			try {
				return read(socket.getInputStream());
			}
			catch (SocketTimeoutException ex) {
				return fail("No answer from " + this.path + " within " + ANSWER_TIMEOUT_MILLIS
						+ " ms while the rest of the body was unsent: the server waits to read it");
			}
		}
	}

	private static Answer read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed in the answer's head: " + head);
			}
			head.write(b);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		int status = Integer.parseInt(text.substring(9, 12));
		int length = 0;
		for (String line : text.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		return new Answer(status, text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
	}

	/**
	 * What the server answered.
	 * @param status the status code
	 * @param head the status line and headers
	 * @param body the body
	 */
	record Answer(int status, String head, String body) {
	}

}
