package dev.realtime.sample;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Exposes the session's {@link ChatUser} as the request's {@link Principal}, which is
 * what the starter's auth endpoints hand to the {@code Authorizer} and the
 * {@code UserAuthenticator}. An application with Spring Security gets this for free.
 */
@Component
class SessionUserFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ChatUser user = sessionUser(request);
		chain.doFilter((user != null) ? new AuthenticatedRequest(request, user) : request, response);
	}

	static @Nullable ChatUser sessionUser(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null && session.getAttribute(ChatUser.SESSION_ATTRIBUTE) instanceof ChatUser user) ? user
				: null;
	}

	private static final class AuthenticatedRequest extends HttpServletRequestWrapper {

		private final ChatUser user;

		AuthenticatedRequest(HttpServletRequest request, ChatUser user) {
			super(request);
			this.user = user;
		}

		@Override
		public Principal getUserPrincipal() {
			return this.user;
		}

		@Override
		public String getRemoteUser() {
			return this.user.name();
		}

	}

}
