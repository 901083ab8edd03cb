package dev.realtime.nats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * The body of a message on a channel's subject: one event, encoded once per publishing
 * node.
 * <p>
 * Length-prefixed text, cheap to write and to check: {@code 1} (version), a kind
 * ({@code E} event, {@code T} terminate a user's connections, {@code P} presence
 * announcement), then origin node, channel, except-socket id, event name, user id and the
 * presence revision each as {@code <byte length>:<bytes>}, then the payload to the end.
 * The channel travels in the body because subjects cannot hold every character of a
 * channel name. Anything else is rejected as malformed.
 *
 * @param kind {@link #EVENT}, {@link #TERMINATE} or {@link #PRESENCE}
 * @param origin the publishing node's id
 * @param event the event (for {@link #TERMINATE}: the user id as payload)
 * @param member for {@link #PRESENCE}: the user who joined or left (travels in the user id
 * field; the event itself has no user id, so it is not rendered as a client event)
 * @param revision for {@link #PRESENCE}: the roster revision that made the change, else 0
 */
record NatsMessage(char kind, String origin, Event event, @Nullable String member, long revision) {

	/** An event to deliver to the channel's subscribers. */
	static final char EVENT = 'E';

	/** Close every connection of the user whose server-to-user channel this is. */
	static final char TERMINATE = 'T';

	/** {@code member_added} or {@code member_removed}, ordered by roster revision. */
	static final char PRESENCE = 'P';

	byte[] encode() {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 + this.event.payload().length());
		out.write('1');
		out.write(this.kind);
		field(out, this.origin);
		field(out, this.event.channel());
		field(out, this.event.exceptSocketId());
		field(out, this.event.name());
		field(out, (this.kind == PRESENCE) ? this.member : this.event.userId());
		field(out, (this.revision != 0) ? Long.toString(this.revision) : null);
		out.writeBytes(this.event.payload().getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	/**
	 * Decode a message body.
	 * @param bytes the body
	 * @return the message
	 * @throws IllegalArgumentException if it is malformed
	 */
	static NatsMessage decode(byte[] bytes) {
		if (bytes.length < 2 || bytes[0] != '1'
				|| (bytes[1] != EVENT && bytes[1] != TERMINATE && bytes[1] != PRESENCE)) {
			throw new IllegalArgumentException("unknown message version or kind");
		}
		int[] at = { 2 };
		String origin = read(bytes, at);
		String channel = read(bytes, at);
		String except = read(bytes, at);
		String name = read(bytes, at);
		String user = read(bytes, at);
		String revision = read(bytes, at);
		if (channel.isEmpty() || name.isEmpty()) {
			throw new IllegalArgumentException("empty channel or event name");
		}
		String payload = new String(bytes, at[0], bytes.length - at[0], StandardCharsets.UTF_8);
		long parsedRevision;
		try {
			parsedRevision = revision.isEmpty() ? 0 : Long.parseLong(revision);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("bad revision");
		}
		boolean presence = bytes[1] == PRESENCE;
		String userId = user.isEmpty() ? null : user;
		Event event = new Event(channel, name, payload, except.isEmpty() ? null : except, presence ? null : userId);
		return new NatsMessage((char) bytes[1], origin, event, presence ? userId : null, parsedRevision);
	}

	private static void field(ByteArrayOutputStream out, @Nullable String value) {
		byte[] bytes = (value != null) ? value.getBytes(StandardCharsets.UTF_8) : new byte[0];
		out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		out.write(':');
		out.writeBytes(bytes);
	}

	private static String read(byte[] bytes, int[] position) {
		int at = position[0];
		int length = 0;
		int digits = 0;
		while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9') {
			length = length * 10 + (bytes[at] - '0');
			at++;
			if (++digits > 7) {
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
