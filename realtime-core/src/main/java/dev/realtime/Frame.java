package dev.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One encoded message, shared by every connection it is delivered to.
 * <p>
 * A frame is encoded once per broadcast and the same instance is queued on every
 * subscriber's outbox. A transport that needs its own message type (a Spring
 * {@code TextMessage}, say) builds it once per frame through {@link #adapt(Function)}
 * rather than once per connection.
 * <p>
 * Besides text and binary messages a frame may be a WebSocket {@linkplain #ping() ping}:
 * a control frame, queued like any other so that the connection's one writer sends it.
 * <p>
 * Inside the hub a frame may also be <em>deferred</em>: queued before it is encoded, and
 * encoded by the one client's writer that takes it from the outbox. Transports never see
 * such a frame, only what it encodes to.
 */
public final class Frame {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	/** For a deferred frame: makes the frame to send, or {@code null} to send nothing. */
	private final @Nullable Supplier<@Nullable Frame> encoder;

	/**
	 * For a deferred frame: what the encoder made ({@link #NOTHING} for nothing), once it
	 * ran. Racy single-check: encoders are pure, so two threads encoding at once is waste,
	 * not harm.
	 */
	private volatile @Nullable Object encoded;

	private static final Object NOTHING = new Object();

	private static final byte[] EMPTY = {};

	/** The one ping frame: no payload, so every connection can share it. */
	private static final Frame PING = new Frame(null, EMPTY, null);

	/**
	 * Transport-specific form of this frame with the adapter that made it; racy
	 * single-check caching is fine as adapters are pure.
	 */
	private @Nullable Adapted adapted;

	/**
	 * {@link System#nanoTime()} of the broadcast that last queued this frame, or 0; read by
	 * writers only for sampled outbox waits. Plain: the outbox queue publishes it.
	 */
	private long queuedAt;

	private Frame(@Nullable String text, byte @Nullable [] binary, @Nullable Supplier<@Nullable Frame> encoder) {
		this.text = text;
		this.binary = binary;
		this.encoder = encoder;
	}

	/**
	 * A text frame.
	 * @param text the payload
	 * @return the frame
	 */
	public static Frame text(String text) {
		return new Frame(Objects.requireNonNull(text, "text"), null, null);
	}

	/**
	 * A binary frame. The array is not copied and must not be changed afterwards.
	 * @param bytes the payload
	 * @return the frame
	 */
	public static Frame binary(byte[] bytes) {
		return new Frame(null, Objects.requireNonNull(bytes, "bytes"), null);
	}

	/**
	 * A WebSocket ping control frame (RFC 6455 opcode 9) with no payload. Every WebSocket
	 * endpoint must answer it with a pong, so it checks a connection whose client does not
	 * answer pings of the application protocol.
	 * @return the ping frame
	 */
	public static Frame ping() {
		return PING;
	}

	/**
	 * A frame to be encoded outside the hub's locks (a presence roster): it holds the
	 * frame's place in the outbox and is encoded once, by the joining thread once the lock
	 * is released, or else by the writer of the one client it is queued for. The writer calls
	 * {@link #resolve()} when it takes
	 * the frame, and sends what that returns. Must be queued for a single client only.
	 * @param encoder makes the frame, or returns {@code null} to send nothing; runs on the
	 * writer thread
	 * @return the deferred frame
	 */
	static Frame deferred(Supplier<@Nullable Frame> encoder) {
		return new Frame(null, null, Objects.requireNonNull(encoder, "encoder"));
	}

	/**
	 * Whether this is a binary frame.
	 * @return {@code true} for binary, {@code false} for text or a ping
	 */
	public boolean isBinary() {
		return this.binary != null && this != PING;
	}

	/**
	 * Whether this is the WebSocket {@linkplain #ping() ping} control frame.
	 * @return {@code true} for the ping
	 */
	public boolean isPing() {
		return this == PING;
	}

	/**
	 * The text payload.
	 * @return the text
	 * @throws IllegalStateException for a binary frame or a ping
	 */
	public String text() {
		if (this.text == null) {
			throw new IllegalStateException("Not a text frame: " + this);
		}
		return this.text;
	}

	/**
	 * The payload as bytes: the binary payload, the UTF-8 encoding of the text, or none for
	 * a ping.
	 * @return the bytes (not a copy for binary frames: do not change them)
	 */
	public byte[] bytes() {
		return (this.binary != null) ? this.binary : this.text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The frame to send in place of this one: this frame itself, or for a
	 * {@linkplain #deferred deferred} frame the frame its encoder made (encoding it now if
	 * nobody has yet).
	 * @return the frame to send, or {@code null} to send nothing
	 */
	void stampQueued(long nanoTime) {
		this.queuedAt = nanoTime;
	}

	long queuedAt() {
		return this.queuedAt;
	}

	@Nullable Frame resolve() {
		if (this.encoder == null) {
			return this;
		}
		Object done = this.encoded;
		if (done == null) {
			Frame made = this.encoder.get();
			done = (made != null) ? made : NOTHING;
			this.encoded = done;
		}
		return (done != NOTHING) ? (Frame) done : null;
	}

	/**
	 * The transport's own form of this frame, built at most a few times per frame (once in
	 * the common case) however many connections it goes to.
	 * @param <T> the transport's message type
	 * @param adapter pure function from frame to the transport's message
	 * @return the adapted message
	 */
	@SuppressWarnings("unchecked")
	public <T> T adapt(Function<Frame, T> adapter) {
		Adapted current = this.adapted;
		if (current == null || current.adapter != adapter) {
			// Two transports in one node each get their own form; the last one is kept.
			current = new Adapted(adapter, adapter.apply(this));
			this.adapted = current;
		}
		return (T) current.value;
	}

	private record Adapted(Function<?, ?> adapter, Object value) {
	}

	@Override
	public String toString() {
		if (this.encoder != null) {
			return "Frame[deferred]";
		}
		if (this == PING) {
			return "Frame[ping]";
		}
		return (this.text != null) ? "Frame[text=" + this.text + "]" : "Frame[binary, " + this.binary.length + " bytes]";
	}

}
