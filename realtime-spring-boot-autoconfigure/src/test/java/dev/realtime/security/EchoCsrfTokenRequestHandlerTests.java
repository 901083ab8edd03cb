package dev.realtime.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EchoCsrfTokenRequestHandler} with real tokens, masked as Spring Security renders
 * them into pages.
 */
class EchoCsrfTokenRequestHandlerTests {

	/** As HttpSessionCsrfTokenRepository makes them: header X-CSRF-TOKEN. */
	private final CsrfToken sessionToken = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf",
			"2f0e3d1c-6b5a-4f8e-9d7c-1a2b3c4d5e6f");

	/** As CookieCsrfTokenRepository makes them: header X-XSRF-TOKEN. */
	private final CsrfToken cookieToken = new DefaultCsrfToken("X-XSRF-TOKEN", "_csrf",
			"8a7b6c5d-4e3f-4a1b-8c2d-9e0f1a2b3c4d");

	private final EchoCsrfTokenRequestHandler handler = new EchoCsrfTokenRequestHandler(
			PathPatternRequestMatcher.withDefaults().matcher("/broadcasting/auth"));

	@Test
	void onTheAuthEndpointEchosHeaderCarriesAMaskedTokenWhateverTheRepositoryCallsIt() {
		MockHttpServletRequest request = authRequest();
		request.addHeader("X-CSRF-TOKEN", masked(this.cookieToken));
		assertThat(this.handler.resolveCsrfTokenValue(request, this.cookieToken)).isEqualTo(this.cookieToken.getToken());
	}

	@Test
	void onTheAuthEndpointTheAxiosHeaderCarriesTheCookiesRawToken() {
		MockHttpServletRequest request = authRequest();
		request.addHeader("X-XSRF-TOKEN", this.cookieToken.getToken());
		assertThat(this.handler.resolveCsrfTokenValue(request, this.cookieToken)).isEqualTo(this.cookieToken.getToken());
	}

	@Test
	void onTheAuthEndpointTheAxiosHeaderIsReadForASessionRepositoryToo() {
		MockHttpServletRequest request = authRequest();
		request.addHeader("X-XSRF-TOKEN", masked(this.sessionToken));
		assertThat(this.handler.resolveCsrfTokenValue(request, this.sessionToken))
			.isEqualTo(this.sessionToken.getToken());
	}

	@Test
	void aForgedValueResolvesToItselfAndSoDoesNotMatch() {
		MockHttpServletRequest request = authRequest();
		request.addHeader("X-CSRF-TOKEN", "forged");
		assertThat(this.handler.resolveCsrfTokenValue(request, this.sessionToken)).isEqualTo("forged");
	}

	@Test
	void elsewhereOnlyTheRepositorysHeaderAndMaskedTokensCount() {
		MockHttpServletRequest other = new MockHttpServletRequest("POST", "/orders");
		other.addHeader("X-XSRF-TOKEN", this.sessionToken.getToken());
		assertThat(this.handler.resolveCsrfTokenValue(other, this.sessionToken)).isNull();
		MockHttpServletRequest raw = new MockHttpServletRequest("POST", "/orders");
		raw.addHeader("X-CSRF-TOKEN", this.sessionToken.getToken());
		assertThat(this.handler.resolveCsrfTokenValue(raw, this.sessionToken)).isNull();
		MockHttpServletRequest masked = new MockHttpServletRequest("POST", "/orders");
		masked.addHeader("X-CSRF-TOKEN", masked(this.sessionToken));
		assertThat(this.handler.resolveCsrfTokenValue(masked, this.sessionToken))
			.isEqualTo(this.sessionToken.getToken());
	}

	@Test
	void aFormFieldIsStillRead() {
		MockHttpServletRequest request = authRequest();
		request.addParameter("_csrf", masked(this.sessionToken));
		assertThat(this.handler.resolveCsrfTokenValue(request, this.sessionToken))
			.isEqualTo(this.sessionToken.getToken());
	}

	private MockHttpServletRequest authRequest() {
		return new MockHttpServletRequest("POST", "/broadcasting/auth");
	}

	/** The token as a page shows it ({@code ${_csrf.token}}). */
	private String masked(CsrfToken token) {
		MockHttpServletRequest page = new MockHttpServletRequest("GET", "/");
		this.handler.handle(page, new MockHttpServletResponse(), () -> token);
		String masked = ((CsrfToken) page.getAttribute(CsrfToken.class.getName())).getToken();
		assertThat(masked).isNotEqualTo(token.getToken());
		return masked;
	}

}
