package dev.realtime;

import java.util.regex.Pattern;

/**
 * Channel-name rules of the Pusher protocol.
 */
public final class ChannelNames {

	/** Longest name a client may subscribe to. */
	public static final int MAX_LENGTH = 164;

	private static final Pattern VALID = Pattern.compile("[-a-zA-Z0-9_=@,.;]+");

	private ChannelNames() {
	}

	/**
	 * Check a channel name a client asked for.
	 * @param channel the name
	 * @return the channel's type
	 * @throws InvalidChannelException if the name is empty, too long, has a character outside
	 * {@code [-a-zA-Z0-9_=@,.;]} or names a server-only channel
	 */
	public static ChannelType validate(String channel) {
		if (channel.isEmpty()) {
			throw new InvalidChannelException(channel, "channel name is empty");
		}
		if (channel.length() > MAX_LENGTH) {
			throw new InvalidChannelException(channel,
					"channel name is " + channel.length() + " characters long, at most " + MAX_LENGTH + " allowed");
		}
		ChannelType type = ChannelType.classify(channel);
		if (!type.isClientSubscribable()) {
			throw new InvalidChannelException(channel, "only the server subscribes to " + type.prefix() + " channels");
		}
		if (!VALID.matcher(channel).matches()) {
			throw new InvalidChannelException(channel, "channel name may only contain [-a-zA-Z0-9_=@,.;]");
		}
		return type;
	}

	/**
	 * The server-to-user channel of a signed-in user.
	 * @param userId the user id
	 * @return {@code #server-to-user-{userId}}
	 */
	public static String serverToUser(String userId) {
		return ChannelType.SERVER_TO_USER.prefix() + userId;
	}

	/**
	 * The internal presence channel that tells a user's watchers when the user comes online
	 * or goes offline.
	 * @param userId the user id
	 * @return {@code #user-online-{userId}}
	 */
	public static String userOnline(String userId) {
		return ChannelType.USER_ONLINE.prefix() + userId;
	}

}
