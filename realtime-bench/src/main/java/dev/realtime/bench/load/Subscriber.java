package dev.realtime.bench.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket subscriber of one channel. It accounts for every payload it receives:
 * unique deliveries, duplicates, order violations (a sequence number lower than one
 * already seen) and the latency from the publisher's timestamp to now. All its state is
 * touched only on its event loop, so the counters need no synchronization.
 */
public final class Subscriber extends SimpleChannelInboundHandler<WebSocketFrame> {

	private static final byte[] SEQ = "\"seq".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] TS = "\"ts".getBytes(StandardCharsets.US_ASCII);

	private final String channelName;

	private final Protocol protocol;

	private final Latencies latencies;

	private final LongAdder uniqueTotal;

	private final long connectStartNanos;

	private final CompletableFuture<Subscriber> ready = new CompletableFuture<>();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private BitSet seen = new BitSet();

	/** The frame being parsed (frames are small; one array per subscriber, reused). */
	private byte[] scratch = new byte[256];

	private long first;

	private long maxSeq = -1;

	private long received;

	private long duplicates;

	private long reordered;

	private long readyNanos;

	private volatile @Nullable Channel channel;

	/** Protocol-specific state, such as a socket id. */
	private volatile @Nullable String session;

	Subscriber(String channelName, Protocol protocol, Latencies latencies, LongAdder uniqueTotal) {
		this.channelName = channelName;
		this.protocol = protocol;
		this.latencies = latencies;
		this.uniqueTotal = uniqueTotal;
		this.connectStartNanos = System.nanoTime();
	}

	/**
	 * The channel this subscriber listens to.
	 * @return the channel name
	 */
	public String channelName() {
		return this.channelName;
	}

	/**
	 * Send a text frame to the server.
	 * @param text the frame
	 */
	public void send(String text) {
		this.channel.writeAndFlush(new TextWebSocketFrame(text));
	}

	/**
	 * The subscription is confirmed: the subscriber now receives what is published.
	 */
	public void subscribed() {
		if (!this.ready.isDone()) {
			this.readyNanos = System.nanoTime();
			this.ready.complete(this);
		}
	}

	/**
	 * The server refused or failed the subscription.
	 * @param reason why
	 */
	public void failed(String reason) {
		this.ready.completeExceptionally(new IllegalStateException(this.channelName + ": " + reason));
		if (this.channel != null) {
			this.channel.close();
		}
	}

	/**
	 * Protocol-specific session state (e.g. the Pusher socket id).
	 * @return the state, or {@code null}
	 */
	public @Nullable String session() {
		return this.session;
	}

	/**
	 * Remember protocol-specific session state.
	 * @param session the state
	 */
	public void session(String session) {
		this.session = session;
	}

	CompletableFuture<Subscriber> ready() {
		return this.ready;
	}

	CompletableFuture<Void> closed() {
		return this.closed;
	}

	long connectNanos() {
		return this.readyNanos - this.connectStartNanos;
	}

	Channel channel() {
		return this.channel;
	}

	/**
	 * Forget the previous round's deliveries (on the event loop); sequence numbers below
	 * {@code first} are late deliveries of earlier rounds from now on, and are ignored.
	 */
	void reset(long first) {
		this.first = first;
		this.seen = new BitSet();
		this.maxSeq = -1;
		this.received = 0;
		this.duplicates = 0;
		this.reordered = 0;
	}

	/** Add this subscriber's counts to a tally (on the event loop). */
	void addTo(Tally tally) {
		tally.add(this.channelName, this.seen.cardinality(), this.received, this.duplicates, this.reordered);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.channel = ctx.channel();
		ctx.channel().closeFuture().addListener((future) -> {
			this.closed.complete(null);
			if (!this.ready.isDone()) {
				this.ready.completeExceptionally(new IllegalStateException(this.channelName + ": closed before subscribing"));
			}
		});
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
			this.protocol.opened(this);
		}
		else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
			failed("handshake timeout");
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
		if (!(frame instanceof TextWebSocketFrame)) {
			return;
		}
		ByteBuf content = frame.content();
		int length = content.readableBytes();
		if (length > this.scratch.length) {
			this.scratch = new byte[Math.max(length, this.scratch.length * 2)];
		}
		byte[] bytes = this.scratch;
		content.getBytes(content.readerIndex(), bytes, 0, length);
		int seqAt = indexOf(bytes, length, SEQ, 0);
		if (seqAt < 0) {
			this.protocol.control(this, content.toString(StandardCharsets.UTF_8));
			return;
		}
		long seq = numberAfter(bytes, length, seqAt + SEQ.length) - this.first;
		if (seq < 0) {
			return;
		}
		long ts = numberAfter(bytes, length, indexOf(bytes, length, TS, seqAt) + TS.length);
		Instant now = Instant.now();
		long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
		this.latencies.record(Math.max(0, nowMicros - ts));
		this.received++;
		int index = (int) seq;
		if (this.seen.get(index)) {
			this.duplicates++;
			return;
		}
		this.seen.set(index);
		this.uniqueTotal.increment();
		if (seq < this.maxSeq) {
			this.reordered++;
		}
		else {
			this.maxSeq = seq;
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		failed(cause.toString());
	}

	private static int indexOf(byte[] bytes, int length, byte[] needle, int from) {
		int end = length - needle.length;
		outer: for (int i = from; i <= end; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (bytes[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** The first run of digits after {@code from}, skipping quotes, colons and backslashes. */
	private static long numberAfter(byte[] bytes, int length, int from) {
		int i = from;
		while (i < length && (bytes[i] < '0' || bytes[i] > '9')) {
			i++;
		}
		long value = 0;
		while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
			value = value * 10 + (bytes[i] - '0');
			i++;
		}
		return value;
	}

}
