package dev.realtime.secured;

import java.util.List;

import dev.realtime.AuthRequest;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Member;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Channels by role, from the Spring Security {@link Authentication} that the auth endpoint
 * passes as the principal: {@code private-admin-*} for admins only, every other private
 * and presence channel for any logged-in user, who appears in presence rosters with their
 * roles.
 */
@Component
class RoleAuthorizer implements Authorizer {

	private final JsonMapper json;

	RoleAuthorizer(JsonMapper json) {
		this.json = json;
	}

	@Override
	public AuthResult authorize(AuthRequest request) {
		if (!(request.user() instanceof Authentication user) || !user.isAuthenticated()) {
			return AuthResult.deny("not logged in");
		}
		// Roles only: Spring Security 7 also grants factors (FACTOR_PASSWORD) and the like.
		List<String> roles = user.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith("ROLE_"))
			.sorted()
			.toList();
		if (request.channel().startsWith("private-admin-") && !roles.contains("ROLE_ADMIN")) {
			return AuthResult.deny(user.getName() + " is not an admin");
		}
		if (request.type().isPresence()) {
			ObjectNode info = this.json.createObjectNode();
			info.putPOJO("roles", roles);
			return AuthResult.allow(new Member(user.getName(), this.json.writeValueAsString(info)));
		}
		return AuthResult.allow();
	}

}
