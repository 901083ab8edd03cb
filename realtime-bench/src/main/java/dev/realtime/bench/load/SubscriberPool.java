package dev.realtime.bench.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

/**
 * Many WebSocket subscribers on a few event loop threads (never a thread per connection).
 * Connections come from several loopback source addresses (127.0.0.2 and up) so that the
 * ephemeral ports of one address never run out, with a bounded number of handshakes in
 * flight.
 */
final class SubscriberPool implements AutoCloseable {

	private static final int SOURCE_ADDRESSES = 8;

	private static final int HANDSHAKES_IN_FLIGHT = 128;

	private final EventLoopGroup group;

	private final Latencies latencies = new Latencies();

	private final List<Subscriber> subscribers = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private final LongAdder uniqueTotal = new LongAdder();

	/** Bytes read from the sockets (frames as on the wire, compressed or not). */
	private final LongAdder wireBytes = new LongAdder();

	private final WireBytes wireCounter = new WireBytes(this.wireBytes);

	/** Whether subscribers offer permessage-deflate (Netty's client compression handler). */
	private final boolean compression;

	SubscriberPool(int threads, boolean compression) {
		this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
		this.compression = compression;
	}

	/**
	 * Connect and subscribe; returns once every subscriber is confirmed.
	 * @param protocol the server's protocol
	 * @param channels the channel of each new subscriber, in order
	 * @return the new subscribers' connect-to-subscribed times in microseconds
	 */
	Histogram connect(Protocol protocol, List<String> channels) throws InterruptedException {
		Histogram connectTimes = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
		Semaphore inFlight = new Semaphore(HANDSHAKES_IN_FLIGHT);
		List<CompletableFuture<Subscriber>> all = new ArrayList<>();
		for (String channel : channels) {
			inFlight.acquire();
			CompletableFuture<Subscriber> ready = open(protocol, channel);
			ready.whenComplete((subscriber, failure) -> inFlight.release());
			all.add(ready);
		}
		List<String> failures = new ArrayList<>();
		for (CompletableFuture<Subscriber> ready : all) {
			try {
				Subscriber subscriber = ready.get(60, TimeUnit.SECONDS);
				connectTimes.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(subscriber.connectNanos())));
				synchronized (this.subscribers) {
					this.subscribers.add(subscriber);
				}
			}
			catch (Exception ex) {
				failures.add(String.valueOf(ex.getCause() != null ? ex.getCause() : ex));
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException(failures.size() + " of " + channels.size()
					+ " subscribers failed, first: " + failures.get(0));
		}
		return connectTimes;
	}

	/**
	 * Open one subscriber without waiting (for churn).
	 * @param protocol the server's protocol
	 * @param channel the channel
	 * @return completes when subscribed
	 */
	CompletableFuture<Subscriber> open(Protocol protocol, String channel) {
		URI uri = protocol.uri(channel);
		Subscriber subscriber = new Subscriber(channel, protocol, this.latencies, this.uniqueTotal);
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.subprotocol(protocol.subprotocol())
			.generateOriginHeader(false)
			.absoluteUpgradeUrl(false)
			.handshakeTimeoutMillis(60_000)
			.maxFramePayloadLength(1 << 20)
			.dropPongFrames(true)
			// without it the decoder refuses frames with RSV1 set: every compressed frame
			.allowExtensions(this.compression)
			// the generator's own cost per delivery is what the server cannot use: skip work
			// the measurement does not need (the payloads are ASCII and never fragmented)
			.withUTF8Validator(false)
			.build();
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_REUSEADDR, true)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(SubscriberPool.this.wireCounter, new HttpClientCodec(),
							new HttpObjectAggregator(65536));
					if (SubscriberPool.this.compression) {
						ch.pipeline().addLast(new WebSocketClientCompressionHandler(0));
					}
					ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), subscriber);
				}
			});
		InetSocketAddress local = new InetSocketAddress("127.0.0." + (2 + this.next.getAndIncrement() % SOURCE_ADDRESSES), 0);
		bootstrap.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local).addListener((future) -> {
			if (!future.isSuccess()) {
				subscriber.failed("connect: " + future.cause());
			}
		});
		return subscriber.ready();
	}

	List<Subscriber> subscribers() {
		synchronized (this.subscribers) {
			return List.copyOf(this.subscribers);
		}
	}

	int size() {
		synchronized (this.subscribers) {
			return this.subscribers.size();
		}
	}

	/** Unique deliveries since the last {@link #reset(long)}, cheap enough to poll. */
	long uniqueDeliveries() {
		return this.uniqueTotal.sum();
	}

	/** Forget the previous round: counters and latencies, each on its own event loop. */
	void reset(long first) throws Exception {
		List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
		for (Subscriber subscriber : subscribers()) {
			done.add(subscriber.channel().eventLoop().submit(() -> subscriber.reset(first)));
		}
		for (EventExecutor loop : this.group) {
			done.add(loop.submit(this.latencies::resetLocal));
		}
		for (io.netty.util.concurrent.Future<?> future : done) {
			future.get();
		}
		this.uniqueTotal.reset();
		this.wireBytes.reset();
	}

	/** Bytes received on all sockets since the last {@link #reset(long)}. */
	long wireBytes() {
		return this.wireBytes.sum();
	}

	/** Sum what every subscriber received in this round. */
	Tally tally() throws Exception {
		Tally tally = new Tally();
		List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
		for (Subscriber subscriber : subscribers()) {
			EventLoop loop = subscriber.channel().eventLoop();
			done.add(loop.submit(() -> subscriber.addTo(tally)));
		}
		for (io.netty.util.concurrent.Future<?> future : done) {
			future.get();
		}
		return tally;
	}

	/** The round's latencies; read after {@link #tally()}, which passed every event loop. */
	Histogram latencies() throws Exception {
		List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
		for (EventExecutor loop : this.group) {
			done.add(loop.submit(() -> { }));
		}
		for (io.netty.util.concurrent.Future<?> future : done) {
			future.get();
		}
		synchronized (this) {
			return this.latencies.merged();
		}
	}

	/** Close every subscriber and wait until the connections are gone. */
	void closeAll() throws Exception {
		List<Subscriber> all = subscribers();
		for (Subscriber subscriber : all) {
			subscriber.channel().close();
		}
		for (Subscriber subscriber : all) {
			subscriber.closed().get(30, TimeUnit.SECONDS);
		}
		synchronized (this.subscribers) {
			this.subscribers.clear();
		}
	}

	/** Counts the bytes every socket reads, before any decoding. */
	@ChannelHandler.Sharable
	private static final class WireBytes extends ChannelInboundHandlerAdapter {

		private final LongAdder bytes;

		WireBytes(LongAdder bytes) {
			this.bytes = bytes;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf buffer) {
				this.bytes.add(buffer.readableBytes());
			}
			ctx.fireChannelRead(msg);
		}

	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
