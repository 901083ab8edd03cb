package dev.realtime.netty;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses one message as permessage-deflate sends it without context takeover: a raw
 * deflate stream flushed with {@code Z_SYNC_FLUSH}, without the trailing
 * {@code 00 00 FF FF} (RFC 7692, section 7.2.1). One deflater per thread, reset for each
 * message, so compressing allocates no native memory once a thread has its deflater.
 */
final class MessageDeflater {

	private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal
		.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

	private static final int TAIL = 4;

	private MessageDeflater() {
	}

	/**
	 * Compress a message's payload.
	 * @param payload the uncompressed payload
	 * @return the compressed payload (to send with RSV1 set)
	 */
	static byte[] deflate(byte[] payload) {
		Deflater deflater = DEFLATERS.get();
		deflater.reset();
		deflater.setInput(payload);
		byte[] chunk = new byte[Math.max(64, payload.length / 2 + 16)];
		ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length);
		int written;
		do {
			written = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
			out.write(chunk, 0, written);
		}
		while (written == chunk.length || !deflater.needsInput());
		byte[] compressed = out.toByteArray();
		// A sync flush always ends with the empty stored block 00 00 FF FF.
		return Arrays.copyOf(compressed, compressed.length - TAIL);
	}

}
