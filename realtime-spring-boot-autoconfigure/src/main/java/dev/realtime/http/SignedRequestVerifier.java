package dev.realtime.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.realtime.pusher.App;
import dev.realtime.pusher.PusherSignatures;

/**
 * Checks the signature of an HTTP API request, as the Pusher server SDKs make it: the
 * query carries {@code auth_key}, {@code auth_timestamp}, {@code auth_version=1.0},
 * {@code body_md5} (hex MD5 of a non-empty body) and
 * {@code auth_signature = hex(HMAC-SHA256(secret, METHOD\npath\nQ))}, where {@code Q} is
 * every other parameter, keys lowercased and sorted, joined as {@code k=v&...} without
 * escaping.
 * <p>
 * Signatures and body digests are compared in constant time; the timestamp must be within
 * the tolerance of this server's clock (either way), which bounds replays.
 */
public final class SignedRequestVerifier {

	/** The tolerance Pusher applies to {@code auth_timestamp}. */
	public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(600);

	private static final HexFormat HEX = HexFormat.of();

	private final Clock clock;

	private final long toleranceSeconds;

	/**
	 * A verifier with the given clock and timestamp tolerance.
	 * @param clock the clock timestamps are compared with
	 * @param tolerance how far {@code auth_timestamp} may be from the clock
	 */
	public SignedRequestVerifier(Clock clock, Duration tolerance) {
		this.clock = clock;
		this.toleranceSeconds = tolerance.toSeconds();
	}

	/**
	 * Check a request.
	 * @param app the app the path names
	 * @param method the HTTP method, upper case
	 * @param path the request path, e.g. {@code /apps/3/events}
	 * @param params the decoded query parameters (the first value of each)
	 * @param body the raw body, empty when there is none
	 * @throws HttpApiException 401 when the key, timestamp, body digest or signature is
	 * wrong or missing; 400 when two keys differ only in case
	 */
	public void verify(App app, String method, String path, Map<String, String> params, byte[] body) {
		Map<String, String> signed = new TreeMap<>();
		String signature = null;
		for (Map.Entry<String, String> param : params.entrySet()) {
			String key = param.getKey().toLowerCase(Locale.ROOT);
			if (key.equals("auth_signature")) {
				if (signature != null) {
					throw HttpApiException.badRequest("Duplicate query parameter auth_signature: give each parameter once");
				}
				signature = param.getValue();
			}
			else if (signed.put(key, param.getValue()) != null) {
				// Two keys equal but for case: the signature would cover only one of them.
				throw HttpApiException.badRequest("Duplicate query parameter " + key + ": give each parameter once");
			}
		}
		if (!app.key().equals(signed.get("auth_key"))) {
			throw HttpApiException.unauthorized("Unknown or missing auth_key");
		}
		if (!"1.0".equals(signed.get("auth_version"))) {
			throw HttpApiException.unauthorized("auth_version must be 1.0");
		}
		checkTimestamp(signed.get("auth_timestamp"));
		if (body.length > 0) {
			String md5 = signed.get("body_md5");
			if (md5 == null || !constantTimeEquals(md5(body), md5)) {
				throw HttpApiException.unauthorized("body_md5 does not match the body");
			}
		}
		if (signature == null) {
			throw HttpApiException.unauthorized("Missing auth_signature");
		}
		String expected = PusherSignatures.sign(app.secret(), stringToSign(method, path, signed));
		if (!constantTimeEquals(expected, signature)) {
			throw HttpApiException.unauthorized("Invalid signature: you should have sent HmacSHA256Hex(\""
					+ stringToSign(method, path, signed).replace("\n", "\\n") + "\", your_secret_key)");
		}
	}

	/**
	 * The string a request's signature covers.
	 * @param method the HTTP method
	 * @param path the path
	 * @param params the parameters but {@code auth_signature}, keys lowercased
	 * @return {@code METHOD\npath\nk=v&...} with the keys sorted
	 */
	public static String stringToSign(String method, String path, Map<String, String> params) {
		StringBuilder result = new StringBuilder(method).append('\n').append(path).append('\n');
		boolean first = true;
		for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
			if (!first) {
				result.append('&');
			}
			first = false;
			result.append(param.getKey()).append('=').append(param.getValue());
		}
		return result.toString();
	}

	/**
	 * The hex MD5 of a body, as {@code body_md5} carries it.
	 * @param body the body
	 * @return lowercase hex
	 */
	public static String md5(byte[] body) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("MD5").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is not available", ex);
		}
	}

	private void checkTimestamp(String timestamp) {
		long seconds;
		try {
			seconds = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			throw HttpApiException.unauthorized("auth_timestamp must be a number of seconds");
		}
		long now = this.clock.millis() / 1000;
		if (Math.abs(now - seconds) > this.toleranceSeconds) {
			throw HttpApiException.unauthorized("Timestamp expired: given " + seconds + ", server time " + now
					+ ", at most " + this.toleranceSeconds + " s apart");
		}
	}

	private static boolean constantTimeEquals(String expected, String actual) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
	}

}
