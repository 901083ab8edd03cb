package dev.realtime.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import dev.realtime.HubClosedException;
import dev.realtime.pusher.CloseCodes;
import dev.realtime.pusher.InvalidMessageException;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnection;
import dev.realtime.pusher.PusherException;
import dev.realtime.pusher.PusherServer;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One upgraded connection: hands whole messages to the {@link PusherServer}, answers pings
 * (while the socket is writable: pongs to a client that does not read are dropped) and
 * closes, wakes the hub's writer when the socket drains, and closes a connection whose
 * socket stays unwritable for the send timeout.
 */
final class PusherFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

	private static final Log logger = LogFactory.getLog(PusherFrameHandler.class);

	private final PusherServer server;

	private final ProtocolStats stats;

	private final Executor inboundExecutor;

	private @Nullable PusherConnection connection;

	private final long sendTimeoutMillis;

	private @Nullable InboundMessages inbound;

	/** Closes the connection if its socket stays unwritable; set while it is unwritable. */
	private @Nullable ScheduledFuture<?> unwritable;

	/** Whether the client negotiated permessage-deflate. */
	private final boolean deflate;

	/** Whether the client keeps its compression window between messages. */
	private final boolean clientContextTakeover;

	/** That client's inflater, made on its first compressed message; event loop only. */
	private @Nullable Inflater contextInflater;

	/** Largest message, inflated, before the connection is closed with 1009. */
	private final int maxMessageSize;

	PusherFrameHandler(PusherServer server, ProtocolStats stats, Executor inboundExecutor, long sendTimeoutMillis,
			boolean deflate, boolean clientContextTakeover, int maxMessageSize) {
		this.server = server;
		this.stats = stats;
		this.inboundExecutor = inboundExecutor;
		this.sendTimeoutMillis = sendTimeoutMillis;
		this.deflate = deflate;
		this.clientContextTakeover = clientContextTakeover;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Open the Pusher connection once the upgrade response is on its way.
	 * @param ctx this handler's context
	 * @param appKey the key from the URL, or {@code null} for the default app
	 * @param protocol the protocol version the client asked for
	 * @param forwardedFor the upgrade request's {@code X-Forwarded-For} header, or
	 * {@code null}
	 */
	void open(ChannelHandlerContext ctx, @Nullable String appKey, @Nullable String protocol,
			@Nullable String forwardedFor) {
		try {
			ChannelHandlerContext encoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
			InetAddress peer = (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) ? remote.getAddress()
					: null;
			this.connection = this.server.open(appKey, protocol, peer, forwardedFor,
					new NettyConn(ctx.channel(), encoder, this.stats, this.deflate));
			this.inbound = new InboundMessages(ctx.channel(), this.inboundExecutor);
		}
		catch (PusherException ex) {
			ctx.write(new TextWebSocketFrame(ex.toFrame().text()));
			closeWith(ctx, (ex.closeReason() != null) ? ex.closeReason().code() : 1008,
					(ex.closeReason() != null) ? ex.closeReason().reason() : "Policy violation");
		}
		catch (HubClosedException ex) {
			closeWith(ctx, CloseCodes.GOING_AWAY.code(), CloseCodes.GOING_AWAY.reason());
		}
	}

	/** The connection's inbound queue, once open; read on the event loop by the decoder. */
	@Nullable InboundMessages inbound() {
		return this.inbound;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
		PusherConnection connection = this.connection;
		InboundMessages inbound = this.inbound;
		if (connection == null || inbound == null) {
			return;
		}
		int size = frame.content().readableBytes();
		int rsv = frame.rsv();
		if (rsv != 0 && !(rsv == PerMessageDeflate.RSV1
				&& (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame))) {
			// Only reachable with permessage-deflate, whose RSV1 marks data messages only.
			this.server.transportError();
			closeWith(ctx, WebSocketCloseStatus.PROTOCOL_ERROR.code(), "Unexpected RSV bits");
			return;
		}
		if (frame instanceof TextWebSocketFrame text) {
			this.server.received(connection, size);
			String message;
			if (rsv == 0) {
				message = text.text();
			}
			else {
				byte[] inflated = inflate(ctx, frame);
				if (inflated == null) {
					return;
				}
				message = new String(inflated, StandardCharsets.UTF_8);
			}
			inbound.add(() -> this.server.message(connection, message));
		}
		else if (frame instanceof PingWebSocketFrame) {
			this.server.received(connection, size);
			if (ctx.channel().isWritable()) {
				ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
			}
			else {
				// A client that pings and does not read would otherwise grow the outbound
				// buffer without bound: RFC 6455 lets a pong answer only the latest ping.
				this.stats.pongDropped();
			}
		}
		else if (frame instanceof PongWebSocketFrame) {
			this.server.received(connection, size);
		}
		else if (frame instanceof CloseWebSocketFrame close) {
			int code = close.statusCode();
			closeWith(ctx, (code == -1) ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : code, "");
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			this.server.received(connection, size);
			inbound.add(() -> {
				if (this.server.allowed(connection)) {
					this.server.reject(connection, new InvalidMessageException("Binary messages are not supported"));
				}
			});
		}
	}

	/**
	 * The payload of a compressed message, or {@code null} after closing the connection
	 * because it inflates past the limit (a zip bomb is stopped at the limit) or is not
	 * valid deflate data.
	 */
	private byte @Nullable [] inflate(ChannelHandlerContext ctx, WebSocketFrame frame) {
		try {
			if (!this.clientContextTakeover) {
				return MessageInflater.inflate(frame.content(), this.maxMessageSize);
			}
			Inflater inflater = this.contextInflater;
			if (inflater == null) {
				inflater = new Inflater(true);
				this.contextInflater = inflater;
			}
			return MessageInflater.inflate(frame.content(), this.maxMessageSize, inflater);
		}
		catch (MessageInflater.TooLargeException ex) {
			this.server.transportError();
			closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "Message too big");
		}
		catch (DataFormatException ex) {
			this.server.transportError();
			closeWith(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "Invalid compressed data");
		}
		return null;
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		PusherConnection connection = this.connection;
		if (ctx.channel().isWritable()) {
			cancelUnwritableTimeout();
			if (connection != null) {
				connection.client().resumeWriting();
			}
		}
		else if (this.unwritable == null) {
			// The hub's send watchdog only sees frames waiting in the outbox; a buffer full
			// of pongs (or of frames written before the mark was crossed) is timed here.
			this.unwritable = ctx.executor().schedule(() -> closeUnwritable(ctx), this.sendTimeoutMillis,
					TimeUnit.MILLISECONDS);
		}
		super.channelWritabilityChanged(ctx);
	}

	private void closeUnwritable(ChannelHandlerContext ctx) {
		this.unwritable = null;
		if (!ctx.channel().isWritable()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing " + ctx.channel() + ": not writable for " + this.sendTimeoutMillis + " ms");
			}
			// The client reads nothing, so a close frame would never reach it.
			ctx.close();
		}
	}

	private void cancelUnwritableTimeout() {
		ScheduledFuture<?> unwritable = this.unwritable;
		if (unwritable != null) {
			unwritable.cancel(false);
			this.unwritable = null;
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		Inflater inflater = this.contextInflater;
		if (inflater != null) {
			// Its native memory, at once rather than when the garbage collector gets to it.
			inflater.end();
			this.contextInflater = null;
		}
		PusherConnection connection = this.connection;
		InboundMessages inbound = this.inbound;
		this.connection = null;
		cancelUnwritableTimeout();
		if (connection != null && inbound != null) {
			// After the messages still queued, which may be joining channels.
			int closeCode = CloseCode.of(ctx.channel());
			inbound.add(() -> this.server.closed(connection, closeCode));
		}
		super.channelInactive(ctx);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof TooLongFrameException) {
			// A message assembled from continuation frames grew past the limit.
			this.server.transportError();
			closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "Message too big");
			return;
		}
		if (cause instanceof CorruptedWebSocketFrameException) {
			// The decoder has already sent the close frame (1002, 1007 or 1009).
			this.server.transportError();
		}
		else if (!(cause instanceof IOException) && logger.isDebugEnabled()) {
			logger.debug("Closing " + ctx.channel() + " after an error", cause);
		}
		ctx.close();
	}

	private static void closeWith(ChannelHandlerContext ctx, int code, String reason) {
		CloseCode.record(ctx.channel(), code);
		ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
	}

}
