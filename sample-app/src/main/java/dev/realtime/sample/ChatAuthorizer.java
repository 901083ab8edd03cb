package dev.realtime.sample;

import java.security.Principal;
import java.util.Map;

import dev.realtime.AuthRequest;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Member;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Who may join which channel in the demo, given the request's principal (the session's
 * {@link ChatUser} here; with Spring Security, the authenticated user).
 * <ul>
 * <li>{@code presence-chat} and the rooms {@code presence-chat-{room}}: any logged-in
 * user, as the member {@code {id: name, info: {"name": name}}};</li>
 * <li>{@code private-user-{name}}: only the user of that name (their inbox);</li>
 * <li>{@code private-encrypted-user-{name}}: the same user's encrypted inbox, which the
 * server encrypts for with {@code realtime.encryption-master-key};</li>
 * <li>anything else, {@code private-admin} for instance: nobody.</li>
 * </ul>
 * Public channels never reach an authorizer: the starter allows them.
 */
@Component
class ChatAuthorizer implements Authorizer {

	static final String CHAT = "presence-chat";

	static final String INBOX_PREFIX = "private-user-";

	static final String ENCRYPTED_INBOX_PREFIX = "private-encrypted-user-";

	private final JsonMapper jsonMapper;

	ChatAuthorizer(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public AuthResult authorize(AuthRequest request) {
		Principal user = request.user();
		if (user == null) {
			return AuthResult.deny("log in first");
		}
		String name = user.getName();
		String channel = request.channel();
		if (channel.equals(CHAT) || channel.startsWith(CHAT + "-")) {
			return AuthResult.allow(new Member(name, this.jsonMapper.writeValueAsString(Map.of("name", name))));
		}
		if (channel.equals(inbox(name)) || channel.equals(encryptedInbox(name))) {
			return AuthResult.allow();
		}
		return AuthResult.deny(name + " may not join " + channel);
	}

	/**
	 * The private channel on which a user receives direct messages.
	 * @param name the user's name
	 * @return the channel name
	 */
	static String inbox(String name) {
		return INBOX_PREFIX + name;
	}

	/**
	 * The end-to-end encrypted channel on which a user receives secret messages.
	 * @param name the user's name
	 * @return the channel name
	 */
	static String encryptedInbox(String name) {
		return ENCRYPTED_INBOX_PREFIX + name;
	}

	/**
	 * The presence channel of a chat room.
	 * @param room the room, empty for the main room
	 * @return the channel name
	 */
	static String room(String room) {
		return room.isEmpty() ? CHAT : CHAT + "-" + room;
	}

}
