package dev.realtime.redis;

import java.nio.charset.StandardCharsets;

import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * The message on a Redis pub/sub channel: one event, encoded once per publishing node.
 * <p>
 * The format is length-prefixed text, cheap to write and to check, and simple enough for
 * the presence Lua scripts to produce: {@code 1} (version), a kind ({@code E} event,
 * {@code T} terminate a user's connections), then origin node id, except-socket id and
 * event name each as {@code <byte length>:<bytes>}, then the payload up to the end. The
 * channel is the pub/sub channel's name without the prefix. Example:
 * {@code 1E6:node-a0:9:my-event{"a":1}}.
 * <p>
 * Version {@code 2} adds the sender's user id (presence client events) as a fourth field
 * after the event name: {@code 2E6:node-a0:12:client-typing5:alice{}}. Events without a
 * user id are still written as version 1, so a node that only knows version 1 (during a
 * rolling upgrade) misses only the events it could not render anyway. Anything else is
 * rejected as malformed.
 *
 * @param kind {@link #EVENT} or {@link #TERMINATE}
 * @param origin the publishing node's id, empty for messages published by Redis scripts
 * @param event the event (for {@link #TERMINATE}: the user id as payload)
 */
record Envelope(char kind, String origin, Event event) {

	private static final byte[] EMPTY = {};

	/** An event to deliver to the channel's subscribers. */
	static final char EVENT = 'E';

	/** Close every connection of the user whose server-to-user channel this is. */
	static final char TERMINATE = 'T';

	byte[] encode() {
		String except = this.event.exceptSocketId();
		byte[] origin = this.origin.getBytes(StandardCharsets.UTF_8);
		byte[] exceptBytes = (except != null) ? except.getBytes(StandardCharsets.UTF_8) : EMPTY;
		byte[] name = this.event.name().getBytes(StandardCharsets.UTF_8);
		String userId = this.event.userId();
		byte @Nullable [] user = (userId != null) ? userId.getBytes(StandardCharsets.UTF_8) : null;
		byte[] payload = this.event.payload().getBytes(StandardCharsets.UTF_8);
		int size = 2 + fieldSize(origin) + fieldSize(exceptBytes) + fieldSize(name)
				+ ((user != null) ? fieldSize(user) : 0) + payload.length;
		byte[] out = new byte[size];
		out[0] = (byte) ((user != null) ? '2' : '1');
		out[1] = (byte) this.kind;
		int at = putField(out, 2, origin);
		at = putField(out, at, exceptBytes);
		at = putField(out, at, name);
		if (user != null) {
			at = putField(out, at, user);
		}
		System.arraycopy(payload, 0, out, at, payload.length);
		return out;
	}

	/**
	 * Decode a message.
	 * @param channel the event channel (the pub/sub channel without the prefix)
	 * @param bytes the message
	 * @return the envelope
	 * @throws IllegalArgumentException if the message is malformed
	 */
	static Envelope decode(String channel, byte[] bytes) {
		if (bytes.length < 2 || (bytes[0] != '1' && bytes[0] != '2') || (bytes[1] != EVENT && bytes[1] != TERMINATE)) {
			throw new IllegalArgumentException("unknown message version or kind");
		}
		int[] position = { 2 };
		String origin = readField(bytes, position);
		String except = readField(bytes, position);
		String name = readField(bytes, position);
		if (name.isEmpty()) {
			throw new IllegalArgumentException("empty event name");
		}
		String userId = (bytes[0] == '2') ? readField(bytes, position) : null;
		String payload = new String(bytes, position[0], bytes.length - position[0], StandardCharsets.UTF_8);
		Event event = new Event(channel, name, payload, except.isEmpty() ? null : except, userId);
		return new Envelope((char) bytes[1], origin, event);
	}

	private static int fieldSize(byte[] value) {
		return Integer.toString(value.length).length() + 1 + value.length;
	}

	private static int putField(byte[] out, int at, byte[] value) {
		String length = Integer.toString(value.length);
		for (int i = 0; i < length.length(); i++) {
			out[at++] = (byte) length.charAt(i);
		}
		out[at++] = ':';
		System.arraycopy(value, 0, out, at, value.length);
		return at + value.length;
	}

	private static String readField(byte[] bytes, int[] position) {
		int at = position[0];
		int length = 0;
		int digits = 0;
		while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9') {
			length = length * 10 + (bytes[at] - '0');
			at++;
			if (++digits > 6) {
				throw new IllegalArgumentException("field too long");
			}
		}
		if (digits == 0 || at >= bytes.length || bytes[at] != ':') {
			throw new IllegalArgumentException("bad field length");
		}
		at++;
		if (length > bytes.length - at) {
			throw new IllegalArgumentException("field beyond the end");
		}
		position[0] = at + length;
		return new String(bytes, at, length, StandardCharsets.UTF_8);
	}

}
