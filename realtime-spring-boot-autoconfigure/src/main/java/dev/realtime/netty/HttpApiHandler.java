package dev.realtime.netty;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.realtime.http.HttpApi;
import dev.realtime.http.HttpApiException;
import dev.realtime.http.HttpApiTimings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Serves the Pusher HTTP API ({@code /apps/...}) on the Netty transport's port, as Reverb
 * and Soketi do on theirs: a thin adapter of {@link HttpApi}, the implementation the MVC
 * endpoints use too. Sits after the HTTP codec; any other request passes on to the
 * WebSocket handshake. The first {@code /apps/} request makes the connection an API
 * connection (keep-alive, no handshake timeout): the handshake's handlers leave the
 * pipeline. The body is collected up to the API's limit (413 beyond; a multipart one is refused
 * with 415 unread, as on the application's port), the request answered
 * on the blocking-task executor (signature check, publishing, and statistics that may ask
 * Redis stay off the event loop), and the connection reads nothing more until the answer is
 * written: one request at a time per connection, so nothing queues. An API connection
 * idle between requests for longer than its idle timeout is closed, as servlet containers
 * close theirs. Each answer is timed into {@link HttpApiTimings}, from the request's first
 * byte to the answer written.
 */
final class HttpApiHandler extends ChannelInboundHandlerAdapter {

	private static final String PREFIX = "/apps/";

	private final HttpApi api;

	private final Executor executor;

	private final HttpApiTimings timings;

	private final long idleTimeoutMillis;

	private @Nullable HttpRequest request;

	/** Most of a refused request's body read and dropped before its connection closes. */
	private static final long MAX_DISCARDED = 2 * 1024 * 1024;

	/** Whether a request is being answered: no idle close meanwhile. */
	private boolean answering;

	/** The request being answered, for its timing. */
	private String method = "";

	private String path = "";

	private long startedAt;

	private @Nullable ByteBuf body;

	/** Whether the rest of the current request is ignored (refused already). */
	private boolean discarding;

	/**
	 * The answer to a refused request whose body is still coming: the connection closes
	 * once the body is read to its end (or {@link #MAX_DISCARDED} of it), not at once.
	 */
	private @Nullable ChannelFuture refusal;

	private long discarded;

	HttpApiHandler(HttpApi api, Executor executor, HttpApiTimings timings, long idleTimeoutMillis) {
		this.api = api;
		this.executor = executor;
		this.timings = timings;
		this.idleTimeoutMillis = idleTimeoutMillis;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request) {
			String uri = request.uri();
			// Another upgrade (h2c, which java.net.http asks for) is ignored: answered in HTTP/1.1.
			boolean forApi = uri.startsWith(PREFIX)
					&& !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
			if (!forApi) {
				if (ctx.pipeline().get(HandshakeHandler.class) == null) {
					// An API connection asking for anything else.
					begin(request);
					boolean complete = msg instanceof LastHttpContent;
					ReferenceCountUtil.release(msg);
					refuse(ctx, new HttpApi.Answer(404, "text/plain;charset=UTF-8",
							"Only the HTTP API (" + PREFIX + "...) is served on this connection\n"), complete);
					return;
				}
				ctx.fireChannelRead(msg);
				return;
			}
			leaveHandshake(ctx);
			this.discarding = false;
			begin(request);
			try {
				this.api.checkMediaType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
				this.api.checkContentLength(HttpUtil.getContentLength(request, -1L));
			}
			catch (HttpApiException ex) {
				boolean complete = msg instanceof LastHttpContent;
				ReferenceCountUtil.release(msg);
				refuse(ctx, this.api.refused(ex), complete);
				return;
			}
			if (HttpUtil.is100ContinueExpected(request)) {
				ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
			}
			this.request = request;
			this.body = ctx.alloc().compositeBuffer();
			if (msg instanceof HttpContent content) {
				content(ctx, content);
			}
			else {
				ReferenceCountUtil.release(msg);
			}
			return;
		}
		if (msg instanceof HttpContent content && (this.request != null || this.discarding)) {
			content(ctx, content);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	private void begin(HttpRequest request) {
		this.answering = true;
		this.startedAt = System.nanoTime();
		this.method = request.method().name();
		String uri = request.uri();
		int question = uri.indexOf('?');
		this.path = (question < 0) ? uri : uri.substring(0, question);
	}

	private void content(ChannelHandlerContext ctx, HttpContent content) {
		try {
			ByteBuf body = this.body;
			HttpRequest request = this.request;
			if (this.discarding) {
				discard(content);
				return;
			}
			if (body == null || request == null) {
				return;
			}
			if (body.readableBytes() + (long) content.content().readableBytes() > this.api.maxBodySize()) {
				release();
				this.request = null;
				refuse(ctx, this.api.refused(this.api.bodyTooLarge()), content instanceof LastHttpContent);
				return;
			}
			body.writeBytes(content.content());
			if (content instanceof LastHttpContent) {
				byte[] bytes = ByteBufUtil.getBytes(body);
				release();
				this.request = null;
				dispatch(ctx, request, bytes);
			}
		}
		finally {
			content.release();
		}
	}

	private void dispatch(ChannelHandlerContext ctx, HttpRequest request, byte[] body) {
		String uri = request.uri();
		int question = uri.indexOf('?');
		HttpApi.Request apiRequest = new HttpApi.Request(this.method, this.path,
				(question < 0) ? null : uri.substring(question + 1), body);
		boolean keepAlive = HttpUtil.isKeepAlive(request);
		ctx.channel().config().setAutoRead(false);
		try {
			this.executor.execute(() -> respond(ctx, this.api.route(apiRequest), keepAlive));
		}
		catch (RejectedExecutionException ex) {
			respond(ctx, new HttpApi.Answer(503, "text/plain;charset=UTF-8", "Shutting down\n"), false);
		}
	}

	/**
	 * Answer a refused request and close the connection. If its body is still coming,
	 * closing at once would reset the connection under the client's writes, and a reset can
	 * destroy the answer before the client reads it: the rest is read and dropped first, up
	 * to {@link #MAX_DISCARDED} (as Tomcat swallows up to 2 MB), within the idle timeout.
	 */
	private void refuse(ChannelHandlerContext ctx, HttpApi.Answer answer, boolean requestComplete) {
		this.discarding = true;
		if (requestComplete) {
			respond(ctx, answer, false);
			return;
		}
		this.discarded = 0;
		this.refusal = write(ctx, answer, false);
	}

	private void discard(HttpContent content) {
		ChannelFuture refusal = this.refusal;
		if (refusal == null) {
			return;
		}
		this.discarded += content.content().readableBytes();
		if (content instanceof LastHttpContent || this.discarded > MAX_DISCARDED) {
			this.refusal = null;
			refusal.addListener(ChannelFutureListener.CLOSE);
		}
	}

	private void respond(ChannelHandlerContext ctx, HttpApi.Answer answer, boolean keepAlive) {
		write(ctx, answer, keepAlive).addListener((ChannelFutureListener) (future) -> {
			if (keepAlive && future.isSuccess()) {
				future.channel().config().setAutoRead(true);
			}
			else {
				future.channel().close();
			}
		});
	}

	/** Write an answer, with {@code Connection: close} unless kept alive, and time it. */
	private ChannelFuture write(ChannelHandlerContext ctx, HttpApi.Answer answer, boolean keepAlive) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(answer.status()),
				Unpooled.wrappedBuffer(answer.body().getBytes(StandardCharsets.UTF_8)));
		response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
		HttpUtil.setContentLength(response, response.content().readableBytes());
		// Read here: the next request is not read before this one's answer is written.
		String method = this.method;
		String path = this.path;
		long startedAt = this.startedAt;
		if (!keepAlive) {
			response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		return ctx.writeAndFlush(response).addListener((ChannelFutureListener) (future) -> {
			this.answering = false;
			this.timings.answered(method, path, answer.status(), System.nanoTime() - startedAt);
		});
	}

	/**
	 * The connection serves the API from now on: no handshake, no handshake timeout, an
	 * idle timeout between requests instead.
	 */
	private void leaveHandshake(ChannelHandlerContext ctx) {
		if (ctx.pipeline().get(HandshakeHandler.class) != null) {
			ctx.pipeline().remove(HandshakeHandler.class);
			ctx.pipeline().remove("http-aggregator");
			ctx.pipeline()
				.addBefore(ctx.name(), "http-api-idle",
						new IdleStateHandler(this.idleTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof IdleStateEvent && !this.answering && (this.request == null || this.refusal != null)) {
			ctx.close();
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	private void release() {
		ByteBuf body = this.body;
		this.body = null;
		if (body != null) {
			body.release();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		release();
		ctx.fireChannelInactive();
	}

}
