package dev.realtime.http;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

/**
 * The application's answer to {@code pusher.signin()}: who the connection's user is.
 * <p>
 * Called by the user authentication endpoint ({@code realtime.auth.user-path}) with the
 * HTTP request's principal. Without a bean of this type every sign-in is denied.
 */
@FunctionalInterface
public interface UserAuthenticator {

	/**
	 * Identify the user of a connection.
	 * @param socketId the connection's socket id
	 * @param principal the authenticated principal of the HTTP request, or {@code null}
	 * @return the user, or {@code null} to deny
	 * @throws Exception treated as a denial
	 */
	@Nullable SignedInUser authenticate(String socketId, @Nullable Principal principal) throws Exception;

}
