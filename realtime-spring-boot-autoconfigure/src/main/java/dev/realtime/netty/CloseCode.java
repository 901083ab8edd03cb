package dev.realtime.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The close code a channel's WebSocket closed with, kept on the channel: whoever sends the
 * first close frame (the server, or the client whose close the server echoes) sets it,
 * and a socket that dropped without one reports 1006, as the Servlet transport does.
 */
final class CloseCode {

	/** Closed without a close frame (RFC 6455 section 7.1.5). */
	static final int ABNORMAL = 1006;

	private static final AttributeKey<Integer> KEY = AttributeKey.valueOf(CloseCode.class, "closeCode");

	private CloseCode() {
	}

	/**
	 * Record the code of the first close frame sent or received; later ones are echoes.
	 * @param channel the channel
	 * @param code the close code
	 */
	static void record(Channel channel, int code) {
		channel.attr(KEY).setIfAbsent(code);
	}

	/**
	 * The recorded code.
	 * @param channel the channel
	 * @return the code, or {@link #ABNORMAL} if no close frame went either way
	 */
	static int of(Channel channel) {
		Integer code = channel.attr(KEY).get();
		return (code != null) ? code : ABNORMAL;
	}

}
