package dev.realtime;

import org.jspecify.annotations.Nullable;

/**
 * The application's answer to an {@link AuthRequest}.
 *
 * @param allowed whether the connection may join
 * @param member for presence channels, who the connection is in the roster (required to
 * join a presence channel)
 * @param reason why the request was denied, for logs and the client's error
 */
public record AuthResult(boolean allowed, @Nullable Member member, @Nullable String reason) {

	/**
	 * Allow a private or encrypted channel.
	 * @return an allowing result
	 */
	public static AuthResult allow() {
		return new AuthResult(true, null, null);
	}

	/**
	 * Allow a presence channel as the given member.
	 * @param member who joins
	 * @return an allowing result
	 */
	public static AuthResult allow(Member member) {
		return new AuthResult(true, member, null);
	}

	/**
	 * Deny.
	 * @param reason why
	 * @return a denying result
	 */
	public static AuthResult deny(String reason) {
		return new AuthResult(false, null, reason);
	}

}
