package dev.realtime.bench.load;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Publishes from the generator, one HTTP request per message at the fixed rate, as a back
 * end with many workers would (a Pusher SDK's {@code trigger}, nchan's
 * {@code POST /pub/{channel}}), without a thread per request in flight: keep-alive
 * HTTP/1.1 connections on two event loop threads, one request in flight on each. Each
 * channel belongs to one connection, which sends its messages one at a time, so the server
 * receives every channel's messages in order. A connection whose answers come too slowly
 * for the rate falls behind (it sends the next message as soon as the previous one is
 * answered), which shows as a lower achieved rate; any answer other than 2xx, or a
 * connection lost, makes the round fail.
 * <p>
 * It replaces a publisher that used a blocking {@code java.net.http} call per thread:
 * 16 threads topped out at about 4,500 requests/s on 2 cores, below what the servers
 * answer (BENCHMARKS.md, "Publishes through the signed HTTP API").
 */
public final class NettyHttpPublisher implements Publisher, AutoCloseable {

	private final String host;

	private final int port;

	private final int connections;

	private final Function<List<Message>, Post> request;

	/** Messages per request: 1, or a {@code batch_events} of several channels' messages. */
	private final int batch;

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	/**
	 * One message.
	 * @param channel the channel name
	 * @param payload the payload
	 */
	public record Message(String channel, String payload) {
	}

	/**
	 * One request to send.
	 * @param uri the path and query
	 * @param contentType the body's type
	 * @param body the body
	 */
	public record Post(String uri, String contentType, byte[] body) {
	}

	/**
	 * A publisher with {@code connections} keep-alive connections, one message per request.
	 * @param host the server's host
	 * @param port the server's port
	 * @param connections how many connections, each with one request in flight (at most
	 * one per channel)
	 * @param request makes the request from a channel name and the payload
	 */
	public NettyHttpPublisher(String host, int port, int connections, BiFunction<String, String, Post> request) {
		this(host, port, connections, 1,
				(messages) -> request.apply(messages.get(0).channel(), messages.get(0).payload()));
	}

	/**
	 * A publisher with {@code connections} keep-alive connections and {@code batch} messages
	 * per request (each to another of the connection's channels), sent when the last of
	 * them is due.
	 * @param host the server's host
	 * @param port the server's port
	 * @param connections how many connections, each with one request in flight
	 * @param batch messages per request
	 * @param request makes the request from the messages
	 */
	public NettyHttpPublisher(String host, int port, int connections, int batch,
			Function<List<Message>, Post> request) {
		this.host = host;
		this.port = port;
		this.connections = connections;
		this.batch = batch;
		this.request = request;
	}

	@Override
	public Published publish(int channels, int rate, int seconds, long first) throws Exception {
		long total = (long) rate * seconds;
		long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		int count = Math.min(this.connections, channels);
		AtomicLong failed = new AtomicLong();
		long start = System.nanoTime();
		List<Sender> senders = new ArrayList<>(count);
		for (int c = 0; c < count; c++) {
			senders.add(new Sender(c, count, channels, total, first, start, periodNanos, failed));
		}
		long elapsed;
		try {
			for (Sender sender : senders) {
				sender.connect();
			}
			for (Sender sender : senders) {
				sender.done.get(seconds + 120L, TimeUnit.SECONDS);
			}
			elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		}
		finally {
			for (Sender sender : senders) {
				sender.close();
			}
		}
		if (failed.get() > 0) {
			throw new IllegalStateException(failed.get() + " of " + total + " publish requests failed");
		}
		return new Published(total, elapsed);
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	/** What a (re)connected sender does first. */
	private enum Resume {

		/** Nothing: a scheduled send is still to come. */
		NONE,

		/** Work out and send the next message. */
		NEXT,

		/** Send the message worked out already. */
		SEND

	}

	/**
	 * One connection at a time and the channels it publishes to; confined to one event loop
	 * thread. The server may close a keep-alive connection between requests (nginx does
	 * after 1,000 requests): the sender reconnects and goes on, as HTTP clients do; a
	 * connection lost with a request in flight fails the round.
	 */
	private final class Sender extends SimpleChannelInboundHandler<FullHttpResponse> {

		private final int index;

		private final int senders;

		private final int channels;

		private final long total;

		private final long first;

		private final long start;

		private final long periodNanos;

		private final AtomicLong failed;

		private final EventLoop loop = NettyHttpPublisher.this.group.next();

		private final CompletableFuture<Void> done = new CompletableFuture<>();

		/** The global index of the last message this connection took. */
		private long next;

		/** The global indexes of the messages of the request to send next. */
		private final List<Long> pending = new ArrayList<>();

		private Resume resume = Resume.NEXT;

		private boolean inFlight;

		private Channel channel;

		Sender(int index, int senders, int channels, long total, long first, long start, long periodNanos,
				AtomicLong failed) {
			this.index = index;
			this.senders = senders;
			this.channels = channels;
			this.total = total;
			this.first = first;
			this.start = start;
			this.periodNanos = periodNanos;
			this.failed = failed;
			this.next = index - 1;
		}

		void connect() {
			Sender sender = this;
			new Bootstrap().group(this.loop)
				.channel(NioSocketChannel.class)
				.option(ChannelOption.TCP_NODELAY, true)
				.handler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel ch) {
						ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), sender);
					}
				})
				.connect(new InetSocketAddress(NettyHttpPublisher.this.host, NettyHttpPublisher.this.port))
				.addListener((future) -> {
					if (!future.isSuccess()) {
						fail(future.cause());
					}
				});
		}

		@Override
		public boolean isSharable() {
			// One instance for each connection it opens in turn, never two at once.
			return true;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.channel = ctx.channel();
			Resume resume = this.resume;
			this.resume = Resume.NONE;
			if (resume == Resume.NEXT) {
				sendNext();
			}
			else if (resume == Resume.SEND) {
				send();
			}
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			this.inFlight = false;
			if (response.status().code() >= 300) {
				this.failed.incrementAndGet();
			}
			if (HttpUtil.isKeepAlive(response)) {
				sendNext();
			}
			else {
				this.resume = Resume.NEXT;
				ctx.close();
			}
		}

		/**
		 * The next messages of this connection's channels, sent when the last of them is
		 * due, or at once if late.
		 */
		private void sendNext() {
			this.pending.clear();
			while (this.pending.size() < NettyHttpPublisher.this.batch) {
				long following = following(this.next);
				if (following >= this.total) {
					break;
				}
				this.next = following;
				this.pending.add(following);
			}
			if (this.pending.isEmpty()) {
				this.done.complete(null);
				return;
			}
			long wait = this.start + this.next * this.periodNanos - System.nanoTime();
			if (wait > 0) {
				this.loop.schedule(this::send, wait, TimeUnit.NANOSECONDS);
			}
			else {
				send();
			}
		}

		/** Message {@code i} goes to channel {@code i % channels}, whose connection is its index mod senders. */
		private long following(long after) {
			long i = after + 1;
			while (i < this.total && (i % this.channels) % this.senders != this.index) {
				i++;
			}
			return i;
		}

		private void send() {
			if (this.done.isDone()) {
				return;
			}
			if (this.channel == null || !this.channel.isActive()) {
				// Closed by the server meanwhile: sent once reconnected.
				this.resume = Resume.SEND;
				return;
			}
			Instant now = Instant.now();
			long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
			List<Message> messages = new ArrayList<>(this.pending.size());
			for (long index : this.pending) {
				int target = (int) (index % this.channels);
				long seq = this.first + index / this.channels;
				messages.add(new Message("bench-" + target,
						"{\"ch\":" + target + ",\"seq\":" + seq + ",\"ts\":" + micros + "}"));
			}
			Post post = NettyHttpPublisher.this.request.apply(messages);
			FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, post.uri(),
					Unpooled.wrappedBuffer(post.body()));
			request.headers()
				.set(HttpHeaderNames.HOST, NettyHttpPublisher.this.host + ":" + NettyHttpPublisher.this.port)
				.set(HttpHeaderNames.CONTENT_TYPE, post.contentType())
				.setInt(HttpHeaderNames.CONTENT_LENGTH, post.body().length);
			this.inFlight = true;
			this.channel.writeAndFlush(request).addListener((future) -> {
				if (!future.isSuccess()) {
					fail(future.cause());
				}
			});
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (this.done.isDone()) {
				return;
			}
			if (this.inFlight) {
				fail(new IllegalStateException("connection closed by the server with a request in flight"));
				return;
			}
			connect();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			fail(cause);
			ctx.close();
		}

		private void fail(Throwable cause) {
			if (this.done.completeExceptionally(cause)) {
				this.failed.incrementAndGet();
			}
		}

		void close() {
			this.loop.execute(() -> {
				this.done.complete(null);
				if (this.channel != null) {
					this.channel.close();
				}
			});
		}

	}

}
