package dev.realtime.netty;

import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.realtime.CloseReason;
import dev.realtime.Conn;
import dev.realtime.Frame;
import dev.realtime.pusher.ProtocolStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * A hub connection over a Netty channel. The hub runs its writer on the channel's event
 * loop, so a batch is written and flushed (one system call) where the socket lives, and a
 * write never blocks: while the channel's outbound buffer is above its high-water mark the
 * hub keeps frames in the client's bounded outbox instead.
 */
final class NettyConn implements Conn {

	/** How long a closing handshake may take before the socket is closed anyway. */
	private static final long CLOSE_TIMEOUT_SECONDS = 3;

	private final Channel channel;

	/**
	 * Where frames enter the pipeline: the WebSocket encoder's context, so that the
	 * already-encoded frames go straight to the socket instead of walking the pipeline and
	 * passing the encoder's type check once per frame.
	 */
	private final ChannelHandlerContext wire;

	private final ProtocolStats stats;

	private final ChannelPromise voidPromise;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Whether the client negotiated permessage-deflate: it gets the compressed frames. */
	private final boolean deflate;

	NettyConn(Channel channel, ChannelHandlerContext wire, ProtocolStats stats, boolean deflate) {
		this.channel = channel;
		this.wire = wire;
		this.stats = stats;
		this.deflate = deflate;
		this.voidPromise = channel.voidPromise();
	}

	@Override
	public void sendAll(List<Frame> frames) throws ClosedChannelException {
		if (!this.channel.isActive()) {
			throw new ClosedChannelException();
		}
		long payload = 0;
		for (int i = 0, n = frames.size(); i < n; i++) {
			WireFrames.WireFrame wire = frames.get(i).adapt(WireFrames.ADAPTER);
			ByteBuf bytes = this.deflate ? wire.deflated() : wire.buffer();
			this.wire.write(bytes.duplicate(), this.voidPromise);
			payload += wire.payloadSize();
		}
		this.wire.flush();
		this.stats.sent(frames.size(), payload);
	}

	@Override
	public boolean isWritable() {
		return this.channel.isWritable();
	}

	@Override
	public Executor executor() {
		return this.channel.eventLoop();
	}

	@Override
	public void close(CloseReason reason) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (!this.channel.isActive()) {
			return;
		}
		CloseCode.record(this.channel, reason.code());
		this.channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.reason()))
			.addListener(ChannelFutureListener.CLOSE);
		// A socket that does not drain (the send watchdog's case) never completes that
		// write: close it anyway, unless it closed by then.
		ScheduledFuture<?> forced = this.channel.eventLoop()
			.schedule(() -> this.channel.close(), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		this.channel.closeFuture().addListener((closed) -> forced.cancel(false));
	}

}
