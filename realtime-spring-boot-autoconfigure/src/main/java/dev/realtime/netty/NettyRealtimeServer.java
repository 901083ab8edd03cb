package dev.realtime.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import dev.realtime.http.HttpApi;
import dev.realtime.http.HttpApiTimings;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.pusher.GracefulShutdown;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The Netty server of the Netty transport: binds {@code realtime.netty.port} when the
 * context starts and closes it after {@link GracefulShutdown} has flushed and closed every
 * connection (it shares the web server's phase, which stops after that).
 */
public final class NettyRealtimeServer implements SmartLifecycle {

	/** The web server's phase: started with it, stopped after the graceful shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private static final Log logger = LogFactory.getLog(NettyRealtimeServer.class);

	/** Largest upgrade request (request line and headers). */
	private static final int MAX_HANDSHAKE_REQUEST = 16 * 1024;

	private final NettySettings settings;

	private final PusherServer server;

	private final ProtocolStats stats;

	private final EndpointPath path;

	private final OriginPolicy origins;

	private final @Nullable NettyTls tls;

	private volatile @Nullable Channel serverChannel;

	private @Nullable EventLoopGroup acceptors;

	private @Nullable EventLoopGroup workers;

	/** Handles the connections' messages, which may block (see {@link InboundMessages}). */
	private @Nullable ExecutorService inbound;

	/**
	 * Create the server; it binds on {@link #start()}.
	 * @param settings address, port, threads and buffer limits
	 * @param path the endpoint's path, such as {@code /app/{key}}
	 * @param allowedOriginPatterns origin patterns allowed to connect
	 * @param applicationPort the port of the application's web server (whose pages are
	 * same-origin when there are no patterns), or a negative number when there is none
	 * @param server the Pusher protocol
	 * @param stats counters
	 * @param tls TLS for {@code wss://}, or {@code null} for plain {@code ws://}
	 */
	public NettyRealtimeServer(NettySettings settings, String path, List<String> allowedOriginPatterns,
			IntSupplier applicationPort, PusherServer server, ProtocolStats stats, @Nullable NettyTls tls) {
		this.settings = settings;
		this.tls = tls;
		this.server = server;
		this.stats = stats;
		this.path = new EndpointPath(path);
		this.origins = new OriginPolicy(allowedOriginPatterns, applicationPort, tls != null);
	}

	/** The Pusher HTTP API served on this port too, or none. */
	private @Nullable HttpApi httpApi;

	private HttpApiTimings httpApiTimings = HttpApiTimings.NONE;

	/**
	 * Serve the Pusher HTTP API ({@code /apps/...}) on this port too, besides the
	 * application's port; call before {@link #start()}.
	 * @param httpApi the API, the one the MVC endpoints answer with
	 * @param timings told how long each request took
	 */
	public void serveHttpApi(HttpApi httpApi, HttpApiTimings timings) {
		this.httpApi = httpApi;
		this.httpApiTimings = timings;
	}

	@Override
	public synchronized void start() {
		if (this.serverChannel != null) {
			return;
		}
		IoHandlerFactory io = NioIoHandler.newFactory();
		ExecutorService inbound = DaemonThreads.newBlockingTaskExecutor("realtime-netty-inbound");
		this.inbound = inbound;
		this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("realtime-netty-accept", true),
				io);
		this.workers = new MultiThreadIoEventLoopGroup(this.settings.ioThreads(),
				new DefaultThreadFactory("realtime-netty-io", true), io);
		int high = Math.toIntExact(this.settings.writeBufferHighWaterMark());
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.acceptors, this.workers)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, this.settings.backlog())
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
			.childHandler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel channel) {
					NettyTls tls = NettyRealtimeServer.this.tls;
					if (tls != null) {
						// The context of this instant: a reloaded certificate applies from the
						// next connection on.
						channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
					}
					channel.pipeline().addLast("http", new HttpServerCodec());
					HttpApi httpApi = NettyRealtimeServer.this.httpApi;
					if (httpApi != null) {
						channel.pipeline().addLast("http-api", new HttpApiHandler(httpApi, inbound,
								NettyRealtimeServer.this.httpApiTimings,
								NettyRealtimeServer.this.settings.apiIdleTimeout().toMillis()));
					}
					channel.pipeline()
						.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_REQUEST))
						.addLast("handshake", new HandshakeHandler(NettyRealtimeServer.this.path,
								NettyRealtimeServer.this.origins, NettyRealtimeServer.this.server,
								NettyRealtimeServer.this.stats, inbound,
								NettyRealtimeServer.this.settings.handshakeTimeout().toMillis(),
								NettyRealtimeServer.this.settings.sendTimeout().toMillis(),
								NettyRealtimeServer.this.settings.compression(), tls != null));
				}

			});
		InetSocketAddress address = (this.settings.address() != null)
				? new InetSocketAddress(this.settings.address(), this.settings.port())
				: new InetSocketAddress(this.settings.port());
		// A failed bind is a checked BindException that sync would rethrow undeclared: take
		// the cause from the future instead, so the event loops are shut down and the
		// message names the address.
		ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			shutdownGroups();
			throw new IllegalStateException("Realtime Netty transport could not bind " + address, bound.cause());
		}
		this.serverChannel = bound.channel();
		logger.info("Realtime WebSocket endpoint (Netty, " + ((this.tls != null) ? "wss" : "ws") + ") on port "
				+ port()
				+ ((this.httpApi != null) ? ", with the Pusher HTTP API (/apps/...)" : ""));
	}

	/**
	 * The port the server listens on, useful with {@code realtime.netty.port=0}.
	 * @return the port, or -1 when not started
	 */
	public int port() {
		Channel channel = this.serverChannel;
		return (channel != null) ? ((InetSocketAddress) channel.localAddress()).getPort() : -1;
	}

	@Override
	public synchronized void stop() {
		Channel channel = this.serverChannel;
		if (channel == null) {
			return;
		}
		this.serverChannel = null;
		channel.close().syncUninterruptibly();
		shutdownGroups();
	}

	private void shutdownGroups() {
		for (EventLoopGroup group : new EventLoopGroup[] { this.acceptors, this.workers }) {
			if (group != null) {
				group.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
			}
		}
		this.acceptors = null;
		this.workers = null;
		ExecutorService inbound = this.inbound;
		if (inbound != null) {
			inbound.shutdown();
			this.inbound = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.serverChannel != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
