package dev.realtime.netty;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.internal.SerialDrainer;
import io.netty.channel.Channel;

/**
 * One connection's messages, handled in order off its event loop: a subscribe may wait on
 * Redis (cluster presence, cache channels), which must never hold up the other connections
 * of the loop. The queue is bounded by back-pressure: past
 * {@value #PAUSE_READING_AT} waiting messages the socket is not read until they are
 * handled.
 */
final class InboundMessages {

	static final int PAUSE_READING_AT = 16;

	private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

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

	private void drain() {
		Runnable handling;
		while ((handling = this.queue.poll()) != null) {
			this.pending.decrementAndGet();
			handling.run();
		}
		if (!this.channel.config().isAutoRead()) {
			this.channel.config().setAutoRead(true);
		}
	}

}
