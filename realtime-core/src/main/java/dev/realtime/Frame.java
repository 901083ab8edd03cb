package dev.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One encoded message, shared by every connection it is delivered to.
 * <p>
 * A frame is encoded once per broadcast and the same instance is queued on every
 * subscriber's outbox. A transport that needs its own message type (a Spring
 * {@code TextMessage}, say) builds it once per frame through {@link #adapt(Function)}
 * rather than once per connection.
 */
public final class Frame {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	/**
	 * Transport-specific form of this frame with the adapter that made it; racy
	 * single-check caching is fine as adapters are pure.
	 */
	private @Nullable Adapted adapted;

	private Frame(@Nullable String text, byte @Nullable [] binary) {
		this.text = text;
		this.binary = binary;
	}

	/**
	 * A text frame.
	 * @param text the payload
	 * @return the frame
	 */
	public static Frame text(String text) {
		return new Frame(Objects.requireNonNull(text, "text"), null);
	}

	/**
	 * A binary frame. The array is not copied and must not be changed afterwards.
	 * @param bytes the payload
	 * @return the frame
	 */
	public static Frame binary(byte[] bytes) {
		return new Frame(null, Objects.requireNonNull(bytes, "bytes"));
	}

	/**
	 * Whether this is a binary frame.
	 * @return {@code true} for binary, {@code false} for text
	 */
	public boolean isBinary() {
		return this.binary != null;
	}

	/**
	 * The text payload.
	 * @return the text
	 * @throws IllegalStateException for a binary frame
	 */
	public String text() {
		if (this.text == null) {
			throw new IllegalStateException("Binary frame has no text");
		}
		return this.text;
	}

	/**
	 * The payload as bytes: the binary payload, or the UTF-8 encoding of the text.
	 * @return the bytes (not a copy for binary frames: do not change them)
	 */
	public byte[] bytes() {
		return (this.binary != null) ? this.binary : this.text.getBytes(StandardCharsets.UTF_8);
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
		return (this.text != null) ? "Frame[text=" + this.text + "]" : "Frame[binary, " + this.binary.length + " bytes]";
	}

}
