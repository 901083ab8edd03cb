package dev.realtime.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The Pusher signatures: HMAC-SHA256 in lowercase hex over the strings the protocol
 * defines, an {@code auth} being {@code key:signature}. Verification compares in constant
 * time.
 */
public final class PusherSignatures {

	private static final HexFormat HEX = HexFormat.of();

	private PusherSignatures() {
	}

	/**
	 * HMAC-SHA256 of a string, lowercase hex.
	 * @param secret the app secret
	 * @param toSign the string to sign
	 * @return the signature
	 */
	public static String sign(String secret, String toSign) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HEX.formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * The string signed for a channel subscription.
	 * @param socketId the socket id
	 * @param channel the channel
	 * @param channelData for presence channels the exact {@code channel_data}, else
	 * {@code null}
	 * @return {@code socket_id:channel[:channel_data]}
	 */
	public static String channelString(String socketId, String channel, @Nullable String channelData) {
		String base = socketId + ":" + channel;
		return (channelData != null) ? base + ":" + channelData : base;
	}

	/**
	 * The string signed for a user sign-in.
	 * @param socketId the socket id
	 * @param userData the exact {@code user_data}
	 * @return {@code socket_id::user::user_data}
	 */
	public static String userString(String socketId, String userData) {
		return socketId + "::user::" + userData;
	}

	/**
	 * The {@code auth} for a channel subscription.
	 * @param app the app
	 * @param socketId the socket id
	 * @param channel the channel
	 * @param channelData for presence channels the {@code channel_data}, else {@code null}
	 * @return {@code key:signature}
	 */
	public static String channelAuth(App app, String socketId, String channel, @Nullable String channelData) {
		return app.key() + ":" + sign(app.secret(), channelString(socketId, channel, channelData));
	}

	/**
	 * The {@code auth} for a user sign-in.
	 * @param app the app
	 * @param socketId the socket id
	 * @param userData the {@code user_data}
	 * @return {@code key:signature}
	 */
	public static String userAuth(App app, String socketId, String userData) {
		return app.key() + ":" + sign(app.secret(), userString(socketId, userData));
	}

	/**
	 * Check an {@code auth} a client sent, in constant time.
	 * @param app the app
	 * @param auth the {@code auth} from the client, may be {@code null}
	 * @param signed the string it should sign
	 * @return {@code true} if it names the app's key and signs the string with its secret
	 */
	public static boolean verify(App app, @Nullable String auth, String signed) {
		if (auth == null) {
			return false;
		}
		int colon = auth.indexOf(':');
		if (colon < 0) {
			return false;
		}
		// The key is public: comparing it in variable time leaks nothing.
		if (!auth.substring(0, colon).equals(app.key())) {
			return false;
		}
		byte[] expected = sign(app.secret(), signed).getBytes(StandardCharsets.US_ASCII);
		byte[] actual = auth.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(expected, actual);
	}

	/**
	 * The shared secret of a private-encrypted channel:
	 * {@code base64(SHA256(channel + masterKey))}, as the Pusher server SDKs derive it.
	 * @param channel the channel
	 * @param masterKey the 32-byte encryption master key
	 * @return the base64 shared secret
	 */
	public static String sharedSecret(String channel, byte[] masterKey) {
		return Base64.getEncoder().encodeToString(channelKey(channel, masterKey));
	}

	/**
	 * The key of a private-encrypted channel, {@code SHA256(channel + masterKey)}: what
	 * {@link #sharedSecret} encodes and {@link SecretBoxEncryptor} encrypts with.
	 * @param channel the channel
	 * @param masterKey the 32-byte encryption master key
	 * @return the 32-byte key
	 */
	static byte[] channelKey(String channel, byte[] masterKey) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(channel.getBytes(StandardCharsets.UTF_8));
			sha256.update(masterKey);
			return sha256.digest();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
