package dev.realtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A bounded, lock-free queue for many producers and one consumer, on a ring buffer: an
 * offer allocates nothing and a full queue refuses at once, never blocking.
 * <p>
 * Producers claim a slot by advancing the producer index with a CAS and then publish the
 * element into it; the single consumer frees slots by nulling them and advancing the
 * consumer index. A claimed slot whose element is not yet visible reads as "empty for
 * now": the consumer stops there and is woken again by the producer's own signal (see
 * {@link SerialDrainer}).
 *
 * @param <E> the element type
 */
public final class BoundedMpscQueue<E> {

	private static final VarHandle PRODUCER_INDEX;

	private static final VarHandle CONSUMER_INDEX;

	private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			PRODUCER_INDEX = lookup.findVarHandle(BoundedMpscQueue.class, "producerIndex", long.class);
			CONSUMER_INDEX = lookup.findVarHandle(BoundedMpscQueue.class, "consumerIndex", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Object[] slots;

	private final int mask;

	private final int capacity;

	@SuppressWarnings("unused") // accessed through PRODUCER_INDEX
	private volatile long producerIndex;

	@SuppressWarnings("unused") // accessed through CONSUMER_INDEX
	private volatile long consumerIndex;

	/**
	 * Create a queue.
	 * @param capacity how many elements it holds at most (at least 1)
	 */
	public BoundedMpscQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		int size = 1;
		while (size < capacity) {
			size <<= 1;
		}
		this.slots = new Object[size];
		this.mask = size - 1;
		this.capacity = capacity;
	}

	/**
	 * Add an element unless the queue is full. Safe from any number of threads.
	 * @param element the element
	 * @return {@code false} if the queue was full
	 */
	public boolean offer(E element) {
		long consumer = (long) CONSUMER_INDEX.getAcquire(this);
		long producer;
		do {
			producer = (long) PRODUCER_INDEX.getVolatile(this);
			if (producer - consumer >= this.capacity) {
				consumer = (long) CONSUMER_INDEX.getVolatile(this);
				if (producer - consumer >= this.capacity) {
					return false;
				}
			}
		}
		while (!PRODUCER_INDEX.compareAndSet(this, producer, producer + 1));
		SLOTS.setRelease(this.slots, (int) producer & this.mask, element);
		return true;
	}

	/**
	 * Remove the oldest visible element. Only the single consumer may call this.
	 * @return the element, or {@code null} when none is visible
	 */
	@SuppressWarnings("unchecked")
	public @Nullable E poll() {
		long consumer = (long) CONSUMER_INDEX.getOpaque(this);
		int slot = (int) consumer & this.mask;
		Object element = SLOTS.getAcquire(this.slots, slot);
		if (element == null) {
			return null;
		}
		SLOTS.setOpaque(this.slots, slot, null);
		CONSUMER_INDEX.setRelease(this, consumer + 1);
		return (E) element;
	}

	/**
	 * Remove up to {@code limit} visible elements, oldest first. Only the single consumer may
	 * call this.
	 * @param sink receives each element
	 * @param limit the most elements to take
	 * @return how many were taken
	 */
	public int drain(Consumer<? super E> sink, int limit) {
		int taken = 0;
		E element;
		while (taken < limit && (element = poll()) != null) {
			sink.accept(element);
			taken++;
		}
		return taken;
	}

	/**
	 * How many elements are claimed and not yet consumed; a snapshot.
	 * @return the size
	 */
	public int size() {
		long consumer = (long) CONSUMER_INDEX.getVolatile(this);
		long producer = (long) PRODUCER_INDEX.getVolatile(this);
		return (int) Math.max(0, Math.min(producer - consumer, this.capacity));
	}

	/**
	 * Whether no element is claimed; a snapshot.
	 * @return {@code true} if empty
	 */
	public boolean isEmpty() {
		return size() == 0;
	}

	/**
	 * The capacity given at construction.
	 * @return the capacity
	 */
	public int capacity() {
		return this.capacity;
	}

}
