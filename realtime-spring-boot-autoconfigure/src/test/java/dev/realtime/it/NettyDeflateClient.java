package dev.realtime.it;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;

/**
 * Netty's WebSocket client with its stock compression handler (permessage-deflate offered
 * as Netty offers it by default): what it receives, inflated by Netty, and whether the
 * server's frames had RSV1 set before Netty's decompressor saw them.
 */
final class NettyDeflateClient implements AutoCloseable {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private final BlockingQueue<Boolean> rsv1 = new LinkedBlockingQueue<>();

	private final Channel channel;

	NettyDeflateClient(URI uri) throws InterruptedException {
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.allowExtensions(true)
			.handshakeTimeoutMillis(10_000)
			.build();
		this.channel = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
								new WebSocketClientCompressionHandler(0), new WebSocketClientProtocolHandler(config),
								new Texts());
				}
			})
			.connect(uri.getHost(), uri.getPort())
			.sync()
			.channel();
	}

	/** The next text message, inflated; waits up to 10 s. */
	String next() throws InterruptedException {
		String text = this.texts.poll(10, TimeUnit.SECONDS);
		if (text == null) {
			throw new AssertionError("no message within 10 s");
		}
		return text;
	}

	/** Whether the frame of the last message had RSV1 set on the wire. */
	boolean lastWasCompressed() throws InterruptedException {
		Boolean compressed = null;
		Boolean next;
		while ((next = this.rsv1.poll(100, TimeUnit.MILLISECONDS)) != null) {
			compressed = next;
		}
		return Boolean.TRUE.equals(compressed);
	}

	void send(String text) {
		this.channel.writeAndFlush(new TextWebSocketFrame(text));
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private final class Texts extends SimpleChannelInboundHandler<WebSocketFrame> {

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				// After the handshake the decompressor sits right behind the frame decoder:
				// look at the frames in between.
				ctx.pipeline().addAfter("ws-decoder", "rsv1-probe", new ChannelInboundHandlerAdapter() {
					@Override
					public void channelRead(ChannelHandlerContext probe, Object msg) {
						if (msg instanceof TextWebSocketFrame frame) {
							NettyDeflateClient.this.rsv1.add((frame.rsv() & 0x4) != 0);
						}
						probe.fireChannelRead(msg);
					}
				});
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame text) {
				NettyDeflateClient.this.texts.add(text.text());
			}
		}

	}

}
