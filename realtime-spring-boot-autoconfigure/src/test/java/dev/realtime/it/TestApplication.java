package dev.realtime.it;

import java.io.IOException;
import java.security.Principal;

import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Member;
import dev.realtime.http.SignedInUser;
import dev.realtime.http.UserAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The smallest application using the starter: an authorizer that lets the user named by
 * the {@code X-User} header (turned into the request's principal by a filter) join any
 * channel without "forbidden" in its name, and a user authenticator for sign-in.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

	static final String USER_HEADER = "X-User";

	@Bean
	Authorizer authorizer() {
		return (request) -> {
			Principal user = request.user();
			if (user == null || request.channel().contains("forbidden")) {
				return AuthResult.deny("not allowed");
			}
			if (request.type().isPresence()) {
				return AuthResult.allow(new Member(user.getName(), "{\"name\":\"" + user.getName() + "\"}"));
			}
			return AuthResult.allow();
		};
	}

	@Bean
	UserAuthenticator userAuthenticator() {
		return (socketId, principal) -> (principal != null) ? new SignedInUser(principal.getName(), java.util.Map.of("role", "tester")) : null;
	}

	@Bean
	OncePerRequestFilter headerPrincipalFilter() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				String user = request.getHeader(USER_HEADER);
				if (user == null) {
					chain.doFilter(request, response);
					return;
				}
				chain.doFilter(new HttpServletRequestWrapper(request) {

					@Override
					public Principal getUserPrincipal() {
						return () -> user;
					}

				}, response);
			}

		};
	}

}
