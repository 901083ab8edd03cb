package dev.realtime;

import org.jspecify.annotations.Nullable;

/**
 * The application's decision on who may join which private, encrypted or presence channel.
 * <p>
 * It may do I/O: it is never called while the hub holds a lock. Throwing denies the join.
 */
@FunctionalInterface
public interface Authorizer {

	/**
	 * Decide whether the request may join.
	 * @param request the request
	 * @return the decision; for presence channels an allowing result must carry the member
	 * @throws Exception treated as a denial
	 */
	AuthResult authorize(AuthRequest request) throws Exception;

	/**
	 * Apply the channel rules around an optional authorizer: public channels are always
	 * allowed, server-only channels never, private and presence channels only by an
	 * authorizer (none means denied), an authorizer that throws or returns {@code null}
	 * denies, and a presence channel is denied unless the result names the member.
	 * @param authorizer the application's authorizer, or {@code null} when there is none
	 * @param request the request
	 * @return the decision, never {@code null}
	 */
	static AuthResult decide(@Nullable Authorizer authorizer, AuthRequest request) {
		ChannelType type = request.type();
		if (!type.isClientSubscribable()) {
			return AuthResult.deny("only the server joins " + type.prefix() + " channels");
		}
		if (!type.requiresAuthorization()) {
			return AuthResult.allow();
		}
		if (authorizer == null) {
			return AuthResult.deny("no Authorizer is configured, private and presence channels are closed");
		}
		AuthResult result;
		try {
			result = authorizer.authorize(request);
		}
		catch (Exception | LinkageError | AssertionError ex) {
			return AuthResult.deny("authorizer failed: " + ex);
		}
		if (result == null) {
			return AuthResult.deny("authorizer returned no decision");
		}
		if (result.allowed() && type.isPresence() && result.member() == null) {
			return AuthResult.deny("presence channels need a member in the authorizer's result");
		}
		return result;
	}

}
