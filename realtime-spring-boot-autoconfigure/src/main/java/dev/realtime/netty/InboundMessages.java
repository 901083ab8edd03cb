package dev.realtime.netty;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.internal.SerialDrainer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * One connection's messages, handled in order off its event loop: a subscribe may wait on
 * Redis (cluster presence, cache channels), which must never hold up the other connections
 * of the loop.
 * <p>
 * The queue is bounded: at {@value #PAUSE_READING_AT} waiting messages the socket is not
 * read, and the {@link PausingFrameDecoder} decodes no further frame from the bytes it
 * already has, so at most one more message than that waits (plus the close, once). When
 * the handling catches up, the decoder resumes on the event loop with the bytes it held,
 * then reading resumes.
 */
final class InboundMessages {

	static final int PAUSE_READING_AT = 16;

	private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	/**
	 * Whether the decoder stopped with frames still undecoded; set on the event loop,
	 * read by the drain. Volatile like {@link #pending}: of the loop setting this and then
	 * reading the count, and the drain lowering the count and then reading this, at least
	 * one sees the other's write, so held bytes are never forgotten.
	 */
	private volatile boolean holding;

	private final Channel channel;

	private final SerialDrainer drainer;

	InboundMessages(Channel channel, Executor executor) {
		this.channel = channel;
		this.drainer = new SerialDrainer(executor, this::drain, 4);
	}

	/**
	 * Queue the handling of one message; called on the event loop.
	 * @param handling what to do with it
	 */
	void add(Runnable handling) {
		this.queue.offer(handling);
		if (this.pending.incrementAndGet() >= PAUSE_READING_AT) {
			this.channel.config().setAutoRead(false);
		}
		// After the pause, so that a drain runs after it and resumes reading.
		this.drainer.signal();
	}

	/**
	 * Whether the decoder must stop, as the queue is full; if so it is resumed once the
	 * queue has room. Called on the event loop before decoding each frame.
	 * @return whether to stop decoding
	 */
	boolean holdIfFull() {
		if (this.pending.get() < PAUSE_READING_AT) {
			return false;
		}
		this.channel.config().setAutoRead(false);
		this.holding = true;
		if (this.pending.get() < PAUSE_READING_AT) {
			// The drain caught up meanwhile and may have missed the flag: go on decoding.
			this.holding = false;
			return false;
		}
		return true;
	}

	private void drain() {
		Runnable handling;
		while ((handling = this.queue.poll()) != null) {
			this.pending.decrementAndGet();
			handling.run();
		}
		if (this.holding || !this.channel.config().isAutoRead()) {
			this.channel.eventLoop().execute(this::resume);
		}
	}

	/** On the event loop: decode the held frames, then read the socket again if there is room. */
	private void resume() {
		if (this.holding) {
			this.holding = false;
			// The decoder decodes from the bytes it kept; an empty read adds none.
			this.channel.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
			this.channel.pipeline().fireChannelReadComplete();
		}
		if (!this.holding && this.pending.get() < PAUSE_READING_AT && !this.channel.config().isAutoRead()) {
			this.channel.config().setAutoRead(true);
		}
	}

}
