package dev.realtime.netty;

import java.nio.ByteBuffer;
import java.util.function.Function;

import dev.realtime.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * Frames as the bytes a server sends on the wire (RFC 6455 header, unmasked, then the
 * payload), built once per frame however many connections it goes to: plain, and for the
 * connections that negotiated permessage-deflate also compressed, once.
 * <p>
 * The bytes live in a direct buffer that the socket writes from without copying. It is
 * unreleasable: each connection writes its own {@link ByteBuf#duplicate() duplicate} (its
 * own read position, no reference count), and the memory is freed by the garbage
 * collector once no connection and no {@link Frame} refers to it any more.
 */
final class WireFrames {

	/** One instance, so that {@link Frame#adapt} recognizes its own cached form. */
	static final Function<Frame, WireFrame> ADAPTER = WireFrames::encode;

	private static final int FIN = 0x80;

	/** RSV1 in the first byte: the payload is compressed (RFC 7692). */
	private static final int RSV1 = 0x40;

	private static final int TEXT = 0x1;

	private static final int BINARY = 0x2;

	private static final int PING = 0x9;

	private WireFrames() {
	}

	static WireFrame encode(Frame frame) {
		byte[] payload = frame.bytes();
		int opcode = frame.isPing() ? PING : frame.isBinary() ? BINARY : TEXT;
		return new WireFrame(wire(FIN | opcode, payload), payload.length, (opcode != PING) ? frame : null);
	}

	private static ByteBuf wire(int first, byte[] payload) {
		int length = payload.length;
		int header = (length < 126) ? 2 : (length <= 0xFFFF) ? 4 : 10;
		ByteBuffer wire = ByteBuffer.allocateDirect(header + length);
		wire.put((byte) first);
		if (length < 126) {
			wire.put((byte) length);
		}
		else if (length <= 0xFFFF) {
			wire.put((byte) 126);
			wire.putShort((short) length);
		}
		else {
			wire.put((byte) 127);
			wire.putLong(length);
		}
		wire.put(payload);
		wire.flip();
		return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(wire));
	}

	/**
	 * A frame's bytes on the wire and its payload size (for the metrics).
	 */
	static final class WireFrame {

		private final ByteBuf buffer;

		private final int payloadSize;

		/** The frame to compress on first demand; {@code null} for control frames. */
		private final @Nullable Frame source;

		/**
		 * The compressed form once made. Racy single-check, as in {@link Frame#adapt}:
		 * two writers compressing at once is waste, not harm.
		 */
		private volatile @Nullable ByteBuf deflated;

		WireFrame(ByteBuf buffer, int payloadSize, @Nullable Frame source) {
			this.buffer = buffer;
			this.payloadSize = payloadSize;
			this.source = source;
		}

		/**
		 * The whole frame, uncompressed.
		 * @return the shared buffer; write a duplicate
		 */
		ByteBuf buffer() {
			return this.buffer;
		}

		/**
		 * The payload's size in bytes, uncompressed.
		 * @return the size
		 */
		int payloadSize() {
			return this.payloadSize;
		}

		/**
		 * The frame for a connection that negotiated permessage-deflate: compressed with
		 * RSV1 set, made once for all such connections, or the plain frame where
		 * compressing does not make it smaller (tiny messages) or it is a control frame.
		 * @return the shared buffer; write a duplicate
		 */
		ByteBuf deflated() {
			ByteBuf deflated = this.deflated;
			if (deflated == null) {
				deflated = deflate();
				this.deflated = deflated;
			}
			return deflated;
		}

		private ByteBuf deflate() {
			Frame source = this.source;
			if (source == null) {
				return this.buffer;
			}
			byte[] compressed = MessageDeflater.deflate(source.bytes());
			if (compressed.length >= this.payloadSize) {
				return this.buffer;
			}
			return wire(FIN | RSV1 | (source.isBinary() ? BINARY : TEXT), compressed);
		}

	}

}
