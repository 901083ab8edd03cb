package dev.realtime.netty;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * The RFC 6455 frame decoder, decoding no further frames while the connection's inbound
 * queue is full. Turning off auto-read alone is not enough: one read of 64 KB holds
 * thousands of tiny frames, and a plain decoder decodes them all at once. Here the bytes
 * of the frames not yet decoded stay in the decoder's buffer (bounded by that one read,
 * since nothing more is read meanwhile) until {@link InboundMessages} has room again and
 * resumes the decoding.
 */
final class PausingFrameDecoder extends WebSocket13FrameDecoder {

	private final PusherFrameHandler frames;

	PausingFrameDecoder(WebSocketDecoderConfig config, PusherFrameHandler frames) {
		super(config);
		this.frames = frames;
		// One frame per step, so the queue is checked before each.
		setSingleDecode(true);
	}

	@Override
	protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		while (in.isReadable() && !ctx.isRemoved()) {
			InboundMessages inbound = this.frames.inbound();
			if (inbound != null && inbound.holdIfFull()) {
				return;
			}
			int before = in.readableBytes();
			super.callDecode(ctx, in, out);
			if (out.isEmpty() && in.readableBytes() == before) {
				// An incomplete frame: wait for more bytes.
				return;
			}
			// Handed on now rather than after the loop, so the next check sees it queued.
			for (int i = 0, n = out.size(); i < n; i++) {
				ctx.fireChannelRead(out.get(i));
			}
			out.clear();
		}
	}

}
