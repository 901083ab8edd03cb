package dev.realtime;

import java.security.Principal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A connection asks to join a private, encrypted or presence channel.
 *
 * @param channel the channel name
 * @param type the channel's type
 * @param socketId the connection's socket id
 * @param user the authenticated user of the request, if any (e.g. the HTTP session's
 * principal)
 */
public record AuthRequest(String channel, ChannelType type, String socketId, @Nullable Principal user) {

	public AuthRequest {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(socketId, "socketId");
	}

	/**
	 * A request for a channel, its type derived from the name.
	 * @param channel the channel name
	 * @param socketId the socket id
	 * @param user the authenticated user, if any
	 * @return the request
	 */
	public static AuthRequest of(String channel, String socketId, @Nullable Principal user) {
		return new AuthRequest(channel, ChannelType.classify(channel), socketId, user);
	}

}
