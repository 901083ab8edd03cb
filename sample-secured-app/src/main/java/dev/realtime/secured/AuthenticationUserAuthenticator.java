package dev.realtime.secured;

import java.security.Principal;
import java.util.Map;

import dev.realtime.http.SignedInUser;
import dev.realtime.http.UserAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Signs a connection in ({@code pusher.signin()}) as the logged-in user, so that the
 * server can send to that user ({@code pusher.sendToUser} of the server SDKs).
 */
@Component
class AuthenticationUserAuthenticator implements UserAuthenticator {

	@Override
	public @Nullable SignedInUser authenticate(String socketId, @Nullable Principal principal) {
		if (!(principal instanceof Authentication user) || !user.isAuthenticated()) {
			return null;
		}
		return new SignedInUser(user.getName(), Map.of("name", user.getName()));
	}

}
