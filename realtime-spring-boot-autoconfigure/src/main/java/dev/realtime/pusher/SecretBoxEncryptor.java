package dev.realtime.pusher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Encrypts event data as the Pusher server SDKs do: the channel's key is
 * {@code SHA256(channel + masterKey)} (the {@code shared_secret} the auth endpoint gives
 * the client, {@link PusherSignatures#sharedSecret}), the data is sealed with NaCl's
 * {@code crypto_secretbox} (XSalsa20-Poly1305) under a random 24-byte nonce, and sent as
 * {@code {"nonce":base64,"ciphertext":base64}}, the ciphertext being the 16-byte tag
 * followed by the encrypted bytes. pusher-js opens it with tweetnacl and parses the
 * plaintext as JSON when it can, so subscribers see the same data as on any other
 * channel.
 * <p>
 * Needs BouncyCastle ({@code org.bouncycastle:bcprov-jdk18on}) on the class path; only its
 * lightweight engines are used, no JCA provider is registered. Thread-safe.
 */
public final class SecretBoxEncryptor implements EventEncryptor {

	/** Length of the master key and of each channel's key. */
	public static final int KEY_LENGTH = 32;

	/** Length of the random nonce of each event. */
	public static final int NONCE_LENGTH = 24;

	/** Length of the Poly1305 tag in front of the encrypted bytes. */
	public static final int TAG_LENGTH = 16;

	private final byte[] masterKey;

	private final SecureRandom random;

	/**
	 * An encryptor with a master key.
	 * @param masterKey the 32-byte master key ({@code realtime.encryption-master-key},
	 * decoded)
	 */
	public SecretBoxEncryptor(byte[] masterKey) {
		this(masterKey, new SecureRandom());
	}

	SecretBoxEncryptor(byte[] masterKey, SecureRandom random) {
		Objects.requireNonNull(masterKey, "masterKey");
		if (masterKey.length != KEY_LENGTH) {
			throw new IllegalArgumentException(
					"The encryption master key must have " + KEY_LENGTH + " bytes, got " + masterKey.length);
		}
		this.masterKey = masterKey.clone();
		this.random = Objects.requireNonNull(random, "random");
	}

	@Override
	public String encrypt(String channel, String data) {
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		byte[] box = seal(PusherSignatures.channelKey(channel, this.masterKey), nonce,
				data.getBytes(StandardCharsets.UTF_8));
		Base64.Encoder base64 = Base64.getEncoder();
		// Base64 needs no JSON escaping.
		return "{\"nonce\":\"" + base64.encodeToString(nonce) + "\",\"ciphertext\":\"" + base64.encodeToString(box)
				+ "\"}";
	}

	/**
	 * NaCl's {@code crypto_secretbox}: the first 32 bytes of the XSalsa20 key stream are the
	 * one-time Poly1305 key, the rest encrypts the message, and the tag covers the
	 * ciphertext.
	 * @param key the 32-byte key
	 * @param nonce the 24-byte nonce
	 * @param message the plaintext
	 * @return the tag followed by the ciphertext
	 */
	static byte[] seal(byte[] key, byte[] nonce, byte[] message) {
		XSalsa20Engine cipher = new XSalsa20Engine();
		cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
		byte[] macKey = new byte[KEY_LENGTH];
		cipher.processBytes(macKey, 0, macKey.length, macKey, 0);
		byte[] box = new byte[TAG_LENGTH + message.length];
		cipher.processBytes(message, 0, message.length, box, TAG_LENGTH);
		Poly1305 mac = new Poly1305();
		mac.init(new KeyParameter(macKey));
		mac.update(box, TAG_LENGTH, message.length);
		mac.doFinal(box, 0);
		return box;
	}

}
