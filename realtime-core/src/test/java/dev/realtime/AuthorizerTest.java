package dev.realtime;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Authorizer#decide}.
 */
class AuthorizerTest {

	@ParameterizedTest
	@ValueSource(strings = { "news", "cache-news" })
	void publicChannelsAreAllowedWithoutAskingTheAuthorizer(String channel) {
		AtomicInteger calls = new AtomicInteger();
		Authorizer authorizer = (request) -> {
			calls.incrementAndGet();
			return AuthResult.deny("no");
		};
		assertThat(Authorizer.decide(authorizer, request(channel)).allowed()).isTrue();
		assertThat(Authorizer.decide(null, request(channel)).allowed()).isTrue();
		assertThat(calls).hasValue(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "private-x", "private-encrypted-x", "presence-x", "private-cache-x", "presence-cache-x" })
	void withoutAnAuthorizerPrivateAndPresenceChannelsAreDenied(String channel) {
		AuthResult result = Authorizer.decide(null, request(channel));
		assertThat(result.allowed()).isFalse();
		assertThat(result.reason()).contains("Authorizer");
	}

	@Test
	void serverToUserChannelsAreNeverAllowed() {
		Authorizer allowAll = (request) -> AuthResult.allow(new Member("1", "{}"));
		assertThat(Authorizer.decide(allowAll, request("#server-to-user-1")).allowed()).isFalse();
	}

	@Test
	void theAuthorizerDecidesPrivateChannels() {
		Authorizer onlyMine = (request) -> request.channel().equals("private-mine") ? AuthResult.allow()
				: AuthResult.deny("not yours");
		assertThat(Authorizer.decide(onlyMine, request("private-mine")).allowed()).isTrue();
		AuthResult denied = Authorizer.decide(onlyMine, request("private-other"));
		assertThat(denied.allowed()).isFalse();
		assertThat(denied.reason()).isEqualTo("not yours");
	}

	@Test
	void theAuthorizerSeesTheRequest() {
		AuthRequest[] seen = new AuthRequest[1];
		Authorizer recording = (request) -> {
			seen[0] = request;
			return AuthResult.allow();
		};
		Authorizer.decide(recording, AuthRequest.of("private-encrypted-x", "1.2", () -> "alice"));
		assertThat(seen[0].channel()).isEqualTo("private-encrypted-x");
		assertThat(seen[0].type()).isEqualTo(ChannelType.PRIVATE_ENCRYPTED);
		assertThat(seen[0].socketId()).isEqualTo("1.2");
		assertThat(seen[0].user().getName()).isEqualTo("alice");
	}

	@Test
	void anAuthorizerThatThrowsDenies() {
		Authorizer checked = (request) -> {
			throw new java.io.IOException("auth service down");
		};
		Authorizer unchecked = (request) -> {
			throw new IllegalStateException("bug");
		};
		Authorizer assertion = (request) -> {
			throw new AssertionError("bug");
		};
		Authorizer linkage = (request) -> {
			throw new NoClassDefFoundError("missing");
		};
		for (Authorizer authorizer : new Authorizer[] { checked, unchecked, assertion, linkage }) {
			AuthResult result = Authorizer.decide(authorizer, request("presence-x"));
			assertThat(result.allowed()).isFalse();
			assertThat(result.reason()).startsWith("authorizer failed");
		}
	}

	@Test
	void anAuthorizerThatReturnsNullDenies() {
		assertThat(Authorizer.decide((request) -> null, request("private-x")).allowed()).isFalse();
	}

	@Test
	void presenceNeedsAMemberInTheResult() {
		AuthResult withoutMember = Authorizer.decide((request) -> AuthResult.allow(), request("presence-x"));
		assertThat(withoutMember.allowed()).isFalse();
		assertThat(withoutMember.reason()).contains("member");
		Member member = new Member("u1", "{\"name\":\"U\"}");
		AuthResult withMember = Authorizer.decide((request) -> AuthResult.allow(member), request("presence-cache-x"));
		assertThat(withMember.allowed()).isTrue();
		assertThat(withMember.member()).isEqualTo(member);
	}

	@Test
	void aDenialWithAMemberStaysADenial() {
		AuthResult result = Authorizer.decide((request) -> new AuthResult(false, new Member("u", "{}"), "no"),
				request("presence-x"));
		assertThat(result.allowed()).isFalse();
	}

	private static AuthRequest request(String channel) {
		return AuthRequest.of(channel, "1.1", null);
	}

}
