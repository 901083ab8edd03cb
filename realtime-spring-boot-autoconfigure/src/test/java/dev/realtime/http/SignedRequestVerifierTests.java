package dev.realtime.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.realtime.pusher.App;
import dev.realtime.pusher.PusherSignatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SignedRequestVerifier}, with the protocol's test vector.
 */
class SignedRequestVerifierTests {

	private static final App APP = new App("3", "278d425bdf160c739803", "7ad3773142a6692b25b8");

	private static final long TIMESTAMP = 1353088179;

	private static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";

	private final SignedRequestVerifier verifier = verifierAt(TIMESTAMP);

	@Test
	void stringToSignMatchesTheProtocolVector() {
		Map<String, String> params = vectorParams();
		String toSign = SignedRequestVerifier.stringToSign("POST", "/apps/3/events", params);
		assertThat(toSign).isEqualTo("POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179"
				+ "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f");
		assertThat(PusherSignatures.sign(APP.secret(), toSign))
			.isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
	}

	@Test
	void bodyMd5MatchesTheProtocolVector() {
		assertThat(SignedRequestVerifier.md5(BODY.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("ec365a775a4cd0599faeb73354201b6f");
	}

	@Test
	void acceptsTheVectorRequest() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
		assertThatNoException().isThrownBy(() -> this.verifier.verify(APP, "POST", "/apps/3/events", params, body()));
	}

	@Test
	void acceptsParametersInAnyOrderAndCase() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("Body_MD5", "ec365a775a4cd0599faeb73354201b6f");
		params.put("auth_version", "1.0");
		params.put("AUTH_TIMESTAMP", String.valueOf(TIMESTAMP));
		params.put("auth_key", APP.key());
		Map<String, String> lowered = vectorParams();
		params.put("auth_signature",
				PusherSignatures.sign(APP.secret(), SignedRequestVerifier.stringToSign("POST", "/apps/3/events", lowered)));
		assertThatNoException().isThrownBy(() -> this.verifier.verify(APP, "POST", "/apps/3/events", params, body()));
	}

	@Test
	void refusesKeysThatDifferOnlyInCase() {
		Map<String, String> params = vectorParams();
		params.put("filter_by_prefix", "public-");
		params.put("FILTER_BY_PREFIX", "presence-");
		Map<String, String> lastWins = vectorParams();
		lastWins.put("filter_by_prefix", "presence-");
		params.put("auth_signature", PusherSignatures.sign(APP.secret(),
				SignedRequestVerifier.stringToSign("POST", "/apps/3/events", lastWins)));
		assertThatThrownBy(() -> this.verifier.verify(APP, "POST", "/apps/3/events", params, body()))
			.isInstanceOfSatisfying(HttpApiException.class, (ex) -> assertThat(ex.status()).isEqualTo(400))
			.hasMessageContaining("Duplicate query parameter filter_by_prefix");
	}

	@Test
	void signsExtraQueryParametersOfGetRequests() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("auth_key", APP.key());
		params.put("auth_timestamp", String.valueOf(TIMESTAMP));
		params.put("auth_version", "1.0");
		params.put("filter_by_prefix", "presence-");
		params.put("info", "user_count,subscription_count");
		params.put("auth_signature", PusherSignatures.sign(APP.secret(),
				SignedRequestVerifier.stringToSign("GET", "/apps/3/channels", params)));
		assertThatNoException().isThrownBy(() -> this.verifier.verify(APP, "GET", "/apps/3/channels", params, new byte[0]));
		params.put("filter_by_prefix", "private-");
		assertUnauthorized(() -> this.verifier.verify(APP, "GET", "/apps/3/channels", params, new byte[0]),
				"Invalid signature");
	}

	@Test
	void refusesAWrongSecret() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", PusherSignatures.sign("wrong-secret",
				SignedRequestVerifier.stringToSign("POST", "/apps/3/events", vectorParams())));
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", params, body()), "Invalid signature");
	}

	@Test
	void refusesATamperedBody() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
		byte[] tampered = BODY.replace("foo", "bar").getBytes(StandardCharsets.UTF_8);
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", params, tampered), "body_md5");
	}

	@Test
	void refusesAnotherPathOrMethod() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/batch_events", params, body()),
				"Invalid signature");
		assertUnauthorized(() -> this.verifier.verify(APP, "PUT", "/apps/3/events", params, body()),
				"Invalid signature");
	}

	@Test
	void acceptsTimestampsWithinTheToleranceEitherWay() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
		assertThatNoException()
			.isThrownBy(() -> verifierAt(TIMESTAMP + 600).verify(APP, "POST", "/apps/3/events", params, body()));
		assertThatNoException()
			.isThrownBy(() -> verifierAt(TIMESTAMP - 600).verify(APP, "POST", "/apps/3/events", params, body()));
	}

	@Test
	void refusesStaleAndFutureTimestamps() {
		Map<String, String> params = vectorParams();
		params.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
		assertUnauthorized(() -> verifierAt(TIMESTAMP + 601).verify(APP, "POST", "/apps/3/events", params, body()),
				"Timestamp expired");
		assertUnauthorized(() -> verifierAt(TIMESTAMP - 601).verify(APP, "POST", "/apps/3/events", params, body()),
				"Timestamp expired");
	}

	@Test
	void refusesMissingOrWrongAuthParameters() {
		Map<String, String> noSignature = vectorParams();
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", noSignature, body()),
				"Missing auth_signature");
		Map<String, String> otherKey = vectorParams();
		otherKey.put("auth_key", "other");
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", otherKey, body()), "auth_key");
		Map<String, String> badVersion = vectorParams();
		badVersion.put("auth_version", "2.0");
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", badVersion, body()),
				"auth_version");
		Map<String, String> noMd5 = vectorParams();
		noMd5.remove("body_md5");
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", noMd5, body()), "body_md5");
		Map<String, String> badTimestamp = vectorParams();
		badTimestamp.put("auth_timestamp", "yesterday");
		assertUnauthorized(() -> this.verifier.verify(APP, "POST", "/apps/3/events", badTimestamp, body()),
				"auth_timestamp");
	}

	private static void assertUnauthorized(Runnable call, String message) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(HttpApiException.class, (ex) -> {
			assertThat(ex.status()).isEqualTo(401);
			assertThat(ex.getMessage()).contains(message);
		});
	}

	private static SignedRequestVerifier verifierAt(long epochSecond) {
		return new SignedRequestVerifier(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
				Duration.ofSeconds(600));
	}

	private static Map<String, String> vectorParams() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("auth_key", APP.key());
		params.put("auth_timestamp", String.valueOf(TIMESTAMP));
		params.put("auth_version", "1.0");
		params.put("body_md5", "ec365a775a4cd0599faeb73354201b6f");
		return params;
	}

	private static byte[] body() {
		return BODY.getBytes(StandardCharsets.UTF_8);
	}

}
