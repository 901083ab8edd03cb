package dev.realtime.netty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.realtime.pusher.PusherServer;
import dev.realtime.pusher.ProtocolStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP part of a connection: checks the path and origin of the upgrade request,
 * performs the WebSocket handshake and replaces itself with a {@link PusherFrameHandler}.
 * Anything else gets a plain HTTP error and the connection is closed.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private final EndpointPath path;

	private final OriginPolicy origins;

	private final PusherServer server;

	private final ProtocolStats stats;

	private final Executor inboundExecutor;

	private final WebSocketDecoderConfig decoderConfig;

	/** For connections that negotiated permessage-deflate: RSV1 allowed. */
	private final WebSocketDecoderConfig deflateDecoderConfig;

	/** Whether permessage-deflate may be negotiated. */
	private final boolean compression;

	/** "ws" or "wss", for the handshaker's URL. */
	private final String scheme;

	private final int maxMessageSize;

	private final long handshakeTimeoutMillis;

	private final long sendTimeoutMillis;

	private @Nullable ScheduledFuture<?> timeout;

	HandshakeHandler(EndpointPath path, OriginPolicy origins, PusherServer server, ProtocolStats stats,
			Executor inboundExecutor, long handshakeTimeoutMillis, long sendTimeoutMillis, boolean compression,
			boolean secure) {
		this.path = path;
		this.inboundExecutor = inboundExecutor;
		this.origins = origins;
		this.server = server;
		this.stats = stats;
		this.handshakeTimeoutMillis = handshakeTimeoutMillis;
		this.sendTimeoutMillis = sendTimeoutMillis;
		this.compression = compression;
		this.scheme = secure ? "wss" : "ws";
		// Up to the limit a message is handled, beyond it it gets a non-fatal pusher:error
		// (as on the Servlet transport), beyond twice the limit the connection is closed.
		this.maxMessageSize = (int) Math.min(Integer.MAX_VALUE, 2L * server.settings().maxMessageSize());
		this.decoderConfig = WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(this.maxMessageSize)
			.allowExtensions(false)
			.closeOnProtocolViolation(true)
			.build();
		// Netty then leaves the RSV bits to PusherFrameHandler, which allows RSV1 only.
		this.deflateDecoderConfig = this.decoderConfig.toBuilder().allowExtensions(true).build();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.timeout = ctx.executor().schedule(() -> {
			ctx.close();
		}, this.handshakeTimeoutMillis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		if (!request.decoderResult().isSuccess()) {
			respond(ctx, HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request");
			return;
		}
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		EndpointPath.Match match = this.path.match(uri.rawPath());
		if (match == null) {
			respond(ctx, HttpResponseStatus.NOT_FOUND, "No WebSocket endpoint at " + uri.rawPath());
			return;
		}
		if (!HttpMethod.GET.equals(request.method())
				|| !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
			respond(ctx, HttpResponseStatus.BAD_REQUEST, "Expected a WebSocket upgrade (GET with Upgrade: websocket)");
			return;
		}
		if (!this.origins.allows(request.headers().get(HttpHeaderNames.ORIGIN),
				request.headers().get(HttpHeaderNames.HOST), request.headers().get(X_FORWARDED_PROTO))) {
			respond(ctx, HttpResponseStatus.FORBIDDEN, "Origin not allowed");
			return;
		}
		if (!WebSocketVersion.V13.toHttpHeaderValue()
			.equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
			// RFC 6455 only, which every browser speaks: its decoder is the one that pauses.
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
			ctx.close();
			return;
		}
		PerMessageDeflate.Agreement deflate = this.compression
				? PerMessageDeflate.negotiate(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) : null;
		List<String> protocols = uri.parameters().get("protocol");
		String protocol = (protocols != null && !protocols.isEmpty()) ? protocols.get(0) : null;
		List<String> forwarded = request.headers().getAll(X_FORWARDED_FOR);
		String forwardedFor = forwarded.isEmpty() ? null : String.join(",", forwarded);
		PusherFrameHandler frames = new PusherFrameHandler(this.server, this.stats, this.inboundExecutor,
				this.sendTimeoutMillis, deflate != null, deflate != null && deflate.clientContextTakeover(),
				this.maxMessageSize);
		// Negotiated here rather than by Netty's compression handlers, which compress per
		// channel: the connection writes frames compressed once for all (WireFrames).
		HttpHeaders extensions = new DefaultHttpHeaders();
		if (deflate != null) {
			extensions.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, deflate.response());
		}
		WebSocketServerHandshaker handshaker = new PausingHandshaker(
				this.scheme + "://" + request.headers().get(HttpHeaderNames.HOST) + uri.rawPath(),
				(deflate != null) ? this.deflateDecoderConfig : this.decoderConfig, frames);
		ChannelFuture handshake;
		try {
			handshake = handshaker.handshake(ctx.channel(), request, extensions, ctx.newPromise());
		}
		catch (WebSocketHandshakeException ex) {
			// An upgrade request without a valid Sec-WebSocket-Key, say: without this the
			// client would see the connection drop with no answer at all.
			respond(ctx, HttpResponseStatus.BAD_REQUEST, "Invalid WebSocket upgrade: " + ex.getMessage());
			return;
		}
		handshake.addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				future.channel().close();
				return;
			}
			// The handshaker has swapped the HTTP codec for the WebSocket one.
			ChannelPipeline pipeline = future.channel().pipeline();
			pipeline.addLast("realtime-aggregator", new WebSocketFrameAggregator(this.maxMessageSize));
			pipeline.addLast("realtime-pusher", frames);
			pipeline.remove(this);
			if (pipeline.get(HttpApiHandler.class) != null) {
				// A WebSocket connection makes no HTTP API requests: frames skip it.
				pipeline.remove(HttpApiHandler.class);
			}
			frames.open(pipeline.context(frames), match.appKey(), protocol, forwardedFor);
		});
	}

	private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				status, Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
		response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
		HttpUtil.setContentLength(response, response.content().readableBytes());
		response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

	/**
	 * The RFC 6455 handshake, with a frame decoder that stops while the connection's
	 * inbound queue is full.
	 */
	private static final class PausingHandshaker extends WebSocketServerHandshaker13 {

		private final PusherFrameHandler frames;

		PausingHandshaker(String url, WebSocketDecoderConfig config, PusherFrameHandler frames) {
			super(url, null, config);
			this.frames = frames;
		}

		@Override
		protected WebSocketFrameDecoder newWebsocketDecoder() {
			return new PausingFrameDecoder(decoderConfig(), this.frames);
		}

	}

}
