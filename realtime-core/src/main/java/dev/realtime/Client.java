package dev.realtime;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.internal.BoundedMpscQueue;
import dev.realtime.internal.SerialDrainer;
import org.jspecify.annotations.Nullable;

/**
 * One connection in the hub: its socket id, its channels, and a bounded outbox drained
 * by one writer at a time.
 * <p>
 * Delivering to a client never blocks: the frame is queued, or, when the outbox is full,
 * the hub's {@link SlowConsumerPolicy} applies. Created by {@link Hub#add(Conn)}.
 */
public final class Client {

	private static final int OPEN = 0;

	private static final int CLOSING = 1;

	private static final int CLOSED = 2;

	private static final Object NO_MEMBER = new Object();

	private static final VarHandle WRITE_SEQUENCE;

	static {
		try {
			WRITE_SEQUENCE = MethodHandles.lookup().findVarHandle(Client.class, "writeSequence", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String id;

	private final Conn conn;

	private final Hub hub;

	private final BoundedMpscQueue<Frame> outbox;

	private final SerialDrainer writer;

	/** Only the writer touches this; reused so a write allocates nothing. */
	private final ArrayList<Frame> batch;

	private final int framesPerWrite;

	private final Sender sender = new Sender();

	/** The transport writes on its own thread and never blocks: no managed blocking needed. */
	private final boolean ownWriterThread;

	/** Channel name to the presence member this client joined as, or {@link #NO_MEMBER}. */
	private final ConcurrentHashMap<String, Object> channels = new ConcurrentHashMap<>();

	/** How many of {@link #channels} are internal: joins of different channels race. */
	private final AtomicInteger internalChannels = new AtomicInteger();

	private final AtomicInteger state = new AtomicInteger(OPEN);

	/** Joins in progress that queued frames the writer must not send yet; see {@link #hold()}. */
	private final AtomicInteger holds = new AtomicInteger();

	/** Writer-only: a frame polled while held, sent first once released. */
	private @Nullable Frame stashed;

	/** Pairs the close reason with the move to CLOSING; see {@link #closeAfterFlush}. */
	private final Object closeLock = new Object();

	private final AtomicLong dropped = new AtomicLong();

	private volatile CloseReason closeReason = CloseReason.GOING_AWAY;

	/**
	 * Odd while a write is in progress, bumped before and after each one. Written with
	 * opaque stores: the watchdog only needs to see it eventually, and a clock read or a
	 * fence per write would cost more than the rest of the write path (see BENCHMARKS.md).
	 */
	private int writeSequence;

	/**
	 * Writer-only: waiting for a non-blocking transport to take frames again (see
	 * {@link Conn#isWritable()}). The write sequence stays odd meanwhile, so the watchdog
	 * treats a socket that never drains like a blocking send that never returns.
	 */
	private boolean parked;

	/** Watchdog-thread-only: the sequence seen at the last scan and how many scans it held. */
	private int watchedSequence;

	private int watchedScans;

	private volatile @Nullable String userId;

	private final @Nullable OutboxWaitRecorder outboxWaits;

	/** Writer-only: stamped frames to take before the next outbox-wait sample. */
	private int untilSample;

	Client(String id, Conn conn, Hub hub, HubConfig config) {
		this.id = id;
		this.conn = conn;
		this.hub = hub;
		this.outbox = new BoundedMpscQueue<>(config.outboxCapacity());
		this.framesPerWrite = config.framesPerWrite();
		this.batch = new ArrayList<>(this.framesPerWrite);
		Executor executor = conn.executor();
		this.ownWriterThread = (executor != null);
		this.outboxWaits = config.outboxWaitRecorder();
		// A random start, so connections that receive the same broadcasts sample different ones.
		this.untilSample = ThreadLocalRandom.current().nextInt(OutboxWaitRecorder.SAMPLE_INTERVAL) + 1;
		this.writer = new SerialDrainer((executor != null) ? executor : hub.writerExecutor(), this::write, 4);
	}

	/**
	 * The socket id.
	 * @return the id, unique across nodes
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The transport.
	 * @return the connection
	 */
	public Conn conn() {
		return this.conn;
	}

	/**
	 * The signed-in user, if {@link Hub#signIn} was called.
	 * @return the user id, or {@code null}
	 */
	public @Nullable String userId() {
		return this.userId;
	}

	/**
	 * How many frames were dropped because the outbox was full.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * How many frames wait in the outbox; a snapshot.
	 * @return the count
	 */
	public int pending() {
		return this.outbox.size();
	}

	/**
	 * The channels this client is subscribed to; a snapshot.
	 * @return the channel names
	 */
	public Set<String> channels() {
		return Set.copyOf(this.channels.keySet());
	}

	/**
	 * How many channels this client is subscribed to, without copying them, leaving out
	 * the {@linkplain ChannelType#isInternal() internal} channels the server joined it to.
	 * @return the count
	 */
	public int channelCount() {
		return this.channels.size() - this.internalChannels.get();
	}

	/**
	 * Whether the client is subscribed to a channel.
	 * @param channel the channel
	 * @return {@code true} if subscribed
	 */
	public boolean isSubscribed(String channel) {
		return this.channels.containsKey(channel);
	}

	/**
	 * The member this client joined a presence channel as.
	 * @param channel the presence channel
	 * @return the member, or {@code null} if not subscribed as a member
	 */
	public @Nullable Member member(String channel) {
		Object member = this.channels.get(channel);
		return (member instanceof Member) ? (Member) member : null;
	}

	/**
	 * Whether the client still accepts frames.
	 * @return {@code false} once closing or closed
	 */
	public boolean isOpen() {
		return this.state.get() == OPEN;
	}

	/**
	 * Queue a frame without blocking.
	 * @param frame the frame
	 * @return {@code true} if queued; {@code false} if the client is closing or the frame
	 * was dropped by the slow-consumer policy
	 */
	boolean deliver(Frame frame) {
		if (this.state.get() != OPEN) {
			return false;
		}
		if (this.outbox.offer(frame)) {
			this.writer.signal();
			return true;
		}
		this.hub.overflowed(this);
		return false;
	}

	/**
	 * Keep the writer from sending frames queued from now on until {@link #release()}. A
	 * join queues the confirmation while the channel is still being updated; sending it
	 * before the update is visible would let the client act on it (ask the application to
	 * publish, say) and miss the event.
	 */
	void hold() {
		this.holds.incrementAndGet();
	}

	/** End a {@link #hold()} and let the writer send what it held back. */
	void release() {
		if (this.holds.decrementAndGet() == 0) {
			this.writer.signal();
		}
	}

	/**
	 * Tell the writer that the transport takes frames again after
	 * {@link Conn#isWritable()} answered {@code false}. Cheap and safe from any thread.
	 */
	public void resumeWriting() {
		this.writer.signal();
	}

	void countDrop() {
		this.dropped.incrementAndGet();
	}

	/**
	 * Stop accepting frames, let the writer flush what is queued, then close.
	 * @return {@code true} if this call started the closing
	 */
	boolean closeAfterFlush(CloseReason reason) {
		synchronized (this.closeLock) {
			if (this.state.get() != OPEN) {
				return false;
			}
			// Set before the state says CLOSING: a running writer may see CLOSING and close
			// the transport at once, and must then read this reason, not the default. The
			// lock keeps the reason of a concurrent closeAfterFlush from replacing it.
			this.closeReason = reason;
			if (!this.state.compareAndSet(OPEN, CLOSING)) {
				return false;
			}
		}
		this.writer.signal();
		return true;
	}

	/**
	 * Close now, dropping what is queued.
	 * @return {@code true} if this call closed it
	 */
	boolean closeNow(CloseReason reason) {
		int previous = this.state.getAndSet(CLOSED);
		if (previous == CLOSED) {
			return false;
		}
		this.closeReason = reason;
		closeConn(reason);
		return true;
	}

	/** Close the transport of a client already marked closed. */
	void closeTransport(CloseReason reason) {
		this.closeReason = reason;
		closeConn(reason);
	}

	/**
	 * Mark an open client closed, leaving a closing one to finish its flush and close with
	 * the reason it was given.
	 * @return {@code true} if the client was open
	 */
	boolean markClosedIfOpen() {
		return this.state.compareAndSet(OPEN, CLOSED);
	}

	/** Mark closed without touching the transport (it is already gone). */
	boolean markClosed() {
		return this.state.getAndSet(CLOSED) != CLOSED;
	}

	boolean isClosed() {
		return this.state.get() == CLOSED;
	}

	/**
	 * Whether the same write has been in progress for the given number of consecutive
	 * watchdog scans. Only the watchdog thread may call this.
	 */
	boolean writeStalledFor(int scans) {
		int sequence = (int) WRITE_SEQUENCE.getOpaque(this);
		if ((sequence & 1) == 0 || sequence != this.watchedSequence) {
			this.watchedSequence = sequence;
			this.watchedScans = 0;
			return false;
		}
		return ++this.watchedScans >= scans;
	}

	void setUserId(String userId) {
		this.userId = userId;
	}

	/** Record that this client joined a channel; returns false if it already had. */
	boolean addChannel(String channel, @Nullable Member member) {
		if (this.channels.putIfAbsent(channel, (member != null) ? member : NO_MEMBER) != null) {
			return false;
		}
		if (ChannelType.classify(channel).isInternal()) {
			this.internalChannels.incrementAndGet();
		}
		return true;
	}

	void removeChannel(String channel) {
		if (this.channels.remove(channel) != null && ChannelType.classify(channel).isInternal()) {
			this.internalChannels.decrementAndGet();
		}
	}

	private void write() {
		for (;;) {
			if (mustWaitForTransport()) {
				return;
			}
			if (!takeBatch()) {
				return;
			}
			if (this.batch.isEmpty()) {
				break;
			}
			if (this.state.get() == CLOSED) {
				this.batch.clear();
				continue;
			}
			int sequence = this.writeSequence;
			WRITE_SEQUENCE.setOpaque(this, sequence + 1);
			Exception failure = this.ownWriterThread ? this.sender.sendDirectly() : this.sender.send();
			WRITE_SEQUENCE.setOpaque(this, sequence + 2);
			if (failure != null) {
				this.batch.clear();
				this.hub.writeFailed(this, failure);
				return;
			}
			this.batch.clear();
		}
		if (this.state.get() == CLOSING && this.outbox.isEmpty() && this.state.compareAndSet(CLOSING, CLOSED)) {
			closeConn(this.closeReason);
			this.hub.closed(this);
		}
	}

	/**
	 * Whether the transport cannot take frames while some wait. A signal from
	 * {@link #resumeWriting()} that races with this check makes the drainer pass again.
	 */
	private boolean mustWaitForTransport() {
		if (this.state.get() == CLOSED || this.conn.isWritable()) {
			if (this.parked) {
				this.parked = false;
				WRITE_SEQUENCE.setOpaque(this, this.writeSequence + 1);
			}
			return false;
		}
		if (!this.parked && (this.stashed != null || !this.outbox.isEmpty())) {
			this.parked = true;
			WRITE_SEQUENCE.setOpaque(this, this.writeSequence + 1);
		}
		return true;
	}

	/**
	 * Move up to {@code framesPerWrite} frames into the batch, stopping at the first frame
	 * polled while a hold is up (it is kept for the next write).
	 * @return {@code false} if held with nothing to write: the release will signal again
	 */
	private boolean takeBatch() {
		Frame frame = this.stashed;
		if (frame != null) {
			if (this.holds.get() > 0) {
				return false;
			}
			this.stashed = null;
			addToBatch(frame);
		}
		while (this.batch.size() < this.framesPerWrite && (frame = this.outbox.poll()) != null) {
			// Read after the poll: a hold is taken before the frames it guards are queued.
			if (this.holds.get() > 0) {
				this.stashed = frame;
				return !this.batch.isEmpty();
			}
			addToBatch(frame);
		}
		return true;
	}

	/**
	 * Add a frame to the batch, encoding it first if it was {@linkplain Frame#deferred
	 * deferred}: here, on the writer, only once its hold is released and outside the hub's
	 * locks.
	 */
	private void addToBatch(Frame frame) {
		long queuedAt = frame.queuedAt();
		if (queuedAt != 0 && this.outboxWaits != null && --this.untilSample == 0) {
			this.untilSample = OutboxWaitRecorder.SAMPLE_INTERVAL;
			this.outboxWaits.record(System.nanoTime() - queuedAt);
		}
		Frame ready = frame.resolve();
		if (ready != null) {
			this.batch.add(ready);
		}
	}

	/**
	 * Runs {@link Conn#sendAll} as a {@link ForkJoinPool.ManagedBlocker}: on a fork-join
	 * writer pool a send that blocks on a slow socket then gets a spare thread, so the
	 * other connections' writers keep going; on any other thread it is a plain call.
	 */
	private final class Sender implements ForkJoinPool.ManagedBlocker {

		private boolean done;

		private @Nullable Exception failure;

		@Nullable Exception send() {
			this.done = false;
			this.failure = null;
			try {
				ForkJoinPool.managedBlock(this);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return ex;
			}
			return this.failure;
		}

		@Nullable Exception sendDirectly() {
			try {
				Client.this.conn.sendAll(Client.this.batch);
				return null;
			}
			catch (IOException | RuntimeException ex) {
				return ex;
			}
		}

		@Override
		public boolean block() {
			try {
				Client.this.conn.sendAll(Client.this.batch);
			}
			catch (IOException | RuntimeException ex) {
				this.failure = ex;
			}
			this.done = true;
			return true;
		}

		@Override
		public boolean isReleasable() {
			return this.done;
		}

	}

	private void closeConn(CloseReason reason) {
		try {
			this.conn.close(reason);
		}
		catch (RuntimeException ex) {
			// The transport is already gone; nothing left to tell the peer.
		}
	}

	@Override
	public String toString() {
		return "Client[" + this.id + "]";
	}

}
