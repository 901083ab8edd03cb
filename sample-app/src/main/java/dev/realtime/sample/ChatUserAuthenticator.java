package dev.realtime.sample;

import java.security.Principal;
import java.util.Map;

import dev.realtime.http.SignedInUser;
import dev.realtime.http.UserAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Answers {@code pusher.signin()}: a logged-in user signs in as their name, so that
 * {@code Realtime.sendToUser(name, ...)} reaches every tab they have open, watching the
 * friends they named at login ({@code pusher.user.watchlist} tells when those come online
 * and go offline).
 */
@Component
class ChatUserAuthenticator implements UserAuthenticator {

	@Override
	public @Nullable SignedInUser authenticate(String socketId, @Nullable Principal principal) {
		if (principal == null) {
			return null;
		}
		SignedInUser user = new SignedInUser(principal.getName(), Map.of("name", principal.getName()));
		return (principal instanceof ChatUser chatUser) ? user.watching(chatUser.friends()) : user;
	}

}
