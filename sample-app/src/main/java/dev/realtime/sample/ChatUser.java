package dev.realtime.sample;

import java.security.Principal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The demo's identity: a name picked on the page, kept in the HTTP session.
 * <p>
 * Names are limited to characters that are valid in a channel name, so that
 * {@code private-user-{name}} is always a valid channel.
 *
 * @param name the user's name, also their user id
 * @param friends the names of the users whose coming online and going offline the user's
 * signed-in tabs are told (their watchlist)
 */
public record ChatUser(String name, List<String> friends) implements Principal {

	private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

	/** The session attribute holding the logged-in user. */
	static final String SESSION_ATTRIBUTE = ChatUser.class.getName();

	/** Most friends one user may have: Pusher's watchlist limit. */
	static final int MAX_FRIENDS = 100;

	public ChatUser {
		if (!isValidName(name)) {
			throw new IllegalArgumentException("Names have 1 to 32 letters, digits, '_' or '-'");
		}
		friends = List.copyOf(friends);
		if (friends.size() > MAX_FRIENDS || !friends.stream().allMatch(ChatUser::isValidName)) {
			throw new IllegalArgumentException("At most " + MAX_FRIENDS + " friends, each a valid name");
		}
	}

	/**
	 * A user without friends.
	 * @param name the name
	 */
	public ChatUser(String name) {
		this(name, List.of());
	}

	/**
	 * Whether a name is acceptable.
	 * @param name the name
	 * @return whether it is
	 */
	public static boolean isValidName(String name) {
		return VALID_NAME.matcher(name).matches();
	}

	@Override
	public String getName() {
		return this.name;
	}

}
