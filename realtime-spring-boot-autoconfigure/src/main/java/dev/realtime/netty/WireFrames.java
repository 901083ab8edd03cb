package dev.realtime.netty;

import java.nio.ByteBuffer;
import java.util.function.Function;

import dev.realtime.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Frames as the bytes a server sends on the wire (RFC 6455 header, unmasked, then the
 * payload), built once per frame however many connections it goes to.
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

	private static final int TEXT = 0x1;

	private static final int BINARY = 0x2;

	private static final int PING = 0x9;

	private WireFrames() {
	}

	static WireFrame encode(Frame frame) {
		byte[] payload = frame.bytes();
		int length = payload.length;
		int header = (length < 126) ? 2 : (length <= 0xFFFF) ? 4 : 10;
		ByteBuffer wire = ByteBuffer.allocateDirect(header + length);
		wire.put((byte) (FIN | (frame.isPing() ? PING : frame.isBinary() ? BINARY : TEXT)));
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
		return new WireFrame(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(wire)), length);
	}

	/**
	 * A frame's bytes on the wire and its payload size (for the metrics).
	 * @param buffer the whole frame; write a duplicate
	 * @param payloadSize the payload's size in bytes
	 */
	record WireFrame(ByteBuf buffer, int payloadSize) {
	}

}
