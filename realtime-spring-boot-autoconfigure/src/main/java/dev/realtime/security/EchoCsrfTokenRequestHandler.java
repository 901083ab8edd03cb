package dev.realtime.security;

import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

/**
 * A {@link CsrfTokenRequestHandler} that, on the auth endpoints, accepts the CSRF token in
 * the headers laravel-echo and axios send: {@code X-CSRF-TOKEN} (Echo's {@code csrfToken}
 * option or a {@code <meta name="csrf-token">} tag) and {@code X-XSRF-TOKEN} (axios, from
 * the {@code XSRF-TOKEN} cookie of a {@code CookieCsrfTokenRepository}), whichever name the
 * token repository uses, and either as rendered into a page (masked, as
 * {@link XorCsrfTokenRequestAttributeHandler} renders it) or as stored in the cookie
 * (raw, as Spring Security's own single-page-application mode accepts it in a header).
 * <p>
 * Every other request is handled exactly as by {@link XorCsrfTokenRequestAttributeHandler},
 * Spring Security's default.
 */
public final class EchoCsrfTokenRequestHandler implements CsrfTokenRequestHandler {

	/** The header laravel-echo sets from its {@code csrfToken} option. */
	public static final String ECHO_HEADER = "X-CSRF-TOKEN";

	/** The header axios sets from the {@code XSRF-TOKEN} cookie. */
	public static final String AXIOS_HEADER = "X-XSRF-TOKEN";

	private final XorCsrfTokenRequestAttributeHandler xor = new XorCsrfTokenRequestAttributeHandler();

	private final RequestMatcher authEndpoints;

	/**
	 * Create the handler.
	 * @param authEndpoints the requests that may carry the token in either header
	 */
	public EchoCsrfTokenRequestHandler(RequestMatcher authEndpoints) {
		this.authEndpoints = authEndpoints;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
		this.xor.handle(request, response, csrfToken);
	}

	@Override
	public @Nullable String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
		if (!this.authEndpoints.matches(request)) {
			return this.xor.resolveCsrfTokenValue(request, csrfToken);
		}
		for (String header : List.of(csrfToken.getHeaderName(), ECHO_HEADER, AXIOS_HEADER)) {
			String sent = request.getHeader(header);
			if (StringUtils.hasText(sent)) {
				String unmasked = this.xor.resolveCsrfTokenValue(request,
						new DefaultCsrfToken(header, csrfToken.getParameterName(), csrfToken.getToken()));
				// A value that does not unmask is compared as it is (a cookie's raw token).
				return (unmasked != null) ? unmasked : sent;
			}
		}
		return this.xor.resolveCsrfTokenValue(request, csrfToken);
	}

}
