package dev.realtime.netty;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same-origin rule of the Netty transport without origin patterns: the page's scheme,
 * host and port must be those of the WebSocket endpoint or of the application's own web
 * server, never just the same host on any port.
 */
class OriginPolicyTests {

	/** The application's web server listens on 8080, the Netty endpoint on 6001. */
	private final OriginPolicy policy = new OriginPolicy(List.of(), () -> 8080, false);

	@Test
	void pagesOfTheApplicationsWebServerOrOfTheEndpointItselfAreAllowed() {
		assertThat(this.policy.allows("http://localhost:8080", "localhost:6001", null)).isTrue();
		assertThat(this.policy.allows("http://LOCALHOST:8080", "localhost:6001", null)).isTrue();
		assertThat(this.policy.allows("http://localhost:6001", "localhost:6001", null)).isTrue();
	}

	@Test
	void withItsOwnTlsTheEndpointsOriginIsHttps() {
		OriginPolicy tls = new OriginPolicy(List.of(), () -> 8080, true);
		assertThat(tls.allows("https://localhost:6001", "localhost:6001", null)).isTrue();
		assertThat(tls.allows("http://localhost:6001", "localhost:6001", null)).isFalse();
		assertThat(tls.allows("https://localhost:8080", "localhost:6001", null)).isTrue();
	}

	@Test
	void anotherPortOfTheSameHostIsRefused() {
		assertThat(this.policy.allows("http://localhost:9999", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("http://localhost", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("https://localhost", "localhost:6001", null)).isFalse();
	}

	@Test
	void behindAProxyTheDefaultPortOfTheSchemeIsTheOriginsPort() {
		assertThat(this.policy.allows("https://example.com", "example.com", "https")).isTrue();
		assertThat(this.policy.allows("https://example.com:443", "example.com", "https")).isTrue();
		assertThat(this.policy.allows("https://example.com", "example.com:443", "https")).isTrue();
		assertThat(this.policy.allows("http://example.com", "example.com", null)).isTrue();
		assertThat(this.policy.allows("http://example.com:80", "example.com", "http")).isTrue();
	}

	@Test
	void theSchemeMustMatchWhenTheRequestsSchemeIsKnown() {
		assertThat(this.policy.allows("http://example.com", "example.com", "https")).isFalse();
		assertThat(this.policy.allows("https://example.com", "example.com", "http")).isFalse();
		assertThat(this.policy.allows("http://example.com:443", "example.com", "https")).isFalse();
		assertThat(this.policy.allows("https://example.com:80", "example.com", null)).isFalse();
	}

	@Test
	void otherHostsAndMalformedOriginsAreRefused() {
		assertThat(this.policy.allows("http://other.example:8080", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("http://localhost.evil.example:8080", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("null", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("ftp://localhost:8080", "localhost:6001", null)).isFalse();
		assertThat(this.policy.allows("http://localhost:8080", null, null)).isFalse();
	}

	@Test
	void clientsWithoutOriginAreAllowed() {
		assertThat(this.policy.allows(null, "localhost:6001", null)).isTrue();
	}

	@Test
	void withoutAWebServerOnlyTheEndpointsOwnOriginIsSameOrigin() {
		OriginPolicy standalone = new OriginPolicy(List.of(), () -> -1, false);
		assertThat(standalone.allows("http://localhost:6001", "localhost:6001", null)).isTrue();
		assertThat(standalone.allows("http://localhost:8080", "localhost:6001", null)).isFalse();
	}

	@Test
	void patternsReplaceTheSameOriginRule() {
		OriginPolicy patterns = new OriginPolicy(List.of("https://*.example.com", "http://localhost:[*]"), () -> 8080, false);
		assertThat(patterns.allows("https://app.example.com", "localhost:6001", null)).isTrue();
		assertThat(patterns.allows("http://localhost:3000", "localhost:6001", null)).isTrue();
		assertThat(patterns.allows("https://evil.example.org", "localhost:6001", null)).isFalse();
	}

}
