package dev.realtime.netty;

import java.io.IOException;
import java.util.concurrent.Executor;

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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One upgraded connection: hands whole messages to the {@link PusherServer}, answers pings
 * and closes, and wakes the hub's writer when the socket drains.
 */
final class PusherFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

	private static final Log logger = LogFactory.getLog(PusherFrameHandler.class);

	private final PusherServer server;

	private final ProtocolStats stats;

	private final Executor inboundExecutor;

	private @Nullable PusherConnection connection;

	private @Nullable InboundMessages inbound;

	PusherFrameHandler(PusherServer server, ProtocolStats stats, Executor inboundExecutor) {
		this.server = server;
		this.stats = stats;
		this.inboundExecutor = inboundExecutor;
	}

	/**
	 * Open the Pusher connection once the upgrade response is on its way.
	 * @param ctx this handler's context
	 * @param appKey the key from the URL, or {@code null} for the default app
	 * @param protocol the protocol version the client asked for
	 */
	void open(ChannelHandlerContext ctx, @Nullable String appKey, @Nullable String protocol) {
		try {
			ChannelHandlerContext encoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
			this.connection = this.server.open(appKey, protocol, new NettyConn(ctx.channel(), encoder, this.stats));
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
		if (frame instanceof TextWebSocketFrame text) {
			this.server.received(connection, size);
			String message = text.text();
			inbound.add(() -> this.server.message(connection, message));
		}
		else if (frame instanceof PingWebSocketFrame) {
			this.server.received(connection, size);
			ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
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
			inbound.add(() -> this.server.reject(connection,
					new InvalidMessageException("Binary messages are not supported")));
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		PusherConnection connection = this.connection;
		if (connection != null && ctx.channel().isWritable()) {
			connection.client().resumeWriting();
		}
		super.channelWritabilityChanged(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		PusherConnection connection = this.connection;
		InboundMessages inbound = this.inbound;
		this.connection = null;
		if (connection != null && inbound != null) {
			// After the messages still queued, which may be joining channels.
			inbound.add(() -> this.server.closed(connection));
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
		ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
	}

}
