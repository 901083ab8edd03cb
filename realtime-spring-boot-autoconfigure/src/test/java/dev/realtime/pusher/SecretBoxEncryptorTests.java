package dev.realtime.pusher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import com.pusher.rest.crypto.CryptoUtil;
import com.pusher.rest.crypto.nacl.SecretBox;
import com.pusher.rest.data.EncryptedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * Tests for {@link SecretBoxEncryptor}, checked against the TweetNaCl port and the
 * decryption of the official Pusher Java server SDK (an independent implementation of the
 * same format; pusher-js's own decryption is exercised by the e2e suite).
 */
public class SecretBoxEncryptorTests {

	private static final byte[] MASTER_KEY = new byte[32];

	static {
		for (int i = 0; i < MASTER_KEY.length; i++) {
			MASTER_KEY[i] = (byte) (i * 7 + 3);
		}
	}

	private static final String MASTER_KEY_BASE64 = Base64.getEncoder().encodeToString(MASTER_KEY);

	private final SecretBoxEncryptor encryptor = new SecretBoxEncryptor(MASTER_KEY);

	@Test
	void thePusherJavaSdkDecryptsWhatItEncrypts() {
		String data = "{\"text\":\"caf\u00e9 \u2615\",\"n\":1}";
		String encrypted = this.encryptor.encrypt("private-encrypted-vault", data);
		assertThat(new CryptoUtil(MASTER_KEY_BASE64).decrypt("private-encrypted-vault", message(encrypted)))
			.isEqualTo(data);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000 })
	void sealIsByteForByteTweetNaClsSecretbox(int length) {
		byte[] key = PusherSignatures.channelKey("private-encrypted-x", MASTER_KEY);
		byte[] message = new byte[length];
		new SecureRandom().nextBytes(message);
		Map<String, byte[]> box = SecretBox.box(key, message);
		assertThat(SecretBoxEncryptor.seal(key, box.get("nonce"), message)).isEqualTo(box.get("cipher"));
	}

	@Test
	void theFormatIsNonceAndCiphertextInBase64() {
		JsonNode encrypted = JsonMapper.shared().readTree(this.encryptor.encrypt("private-encrypted-x", "hello"));
		assertThat(encrypted.propertyNames()).containsExactly("nonce", "ciphertext");
		assertThat(Base64.getDecoder().decode(encrypted.get("nonce").stringValue()))
			.hasSize(SecretBoxEncryptor.NONCE_LENGTH);
		assertThat(Base64.getDecoder().decode(encrypted.get("ciphertext").stringValue()))
			.hasSize(SecretBoxEncryptor.TAG_LENGTH + "hello".length());
	}

	@Test
	void eachEventHasItsOwnNonce() {
		EncryptedMessage first = message(this.encryptor.encrypt("private-encrypted-x", "same"));
		EncryptedMessage second = message(this.encryptor.encrypt("private-encrypted-x", "same"));
		assertThat(first.getNonce()).isNotEqualTo(second.getNonce());
		assertThat(first.getCiphertext()).isNotEqualTo(second.getCiphertext());
	}

	@Test
	void eachChannelHasItsOwnKey() {
		EncryptedMessage encrypted = message(this.encryptor.encrypt("private-encrypted-a", "for a"));
		byte[] nonce = Base64.getDecoder().decode(encrypted.getNonce());
		byte[] box = Base64.getDecoder().decode(encrypted.getCiphertext());
		assertThat(SecretBox.open(PusherSignatures.channelKey("private-encrypted-a", MASTER_KEY), nonce, box))
			.isEqualTo("for a".getBytes(StandardCharsets.UTF_8));
		byte[] otherKey = PusherSignatures.channelKey("private-encrypted-b", MASTER_KEY);
		assertThatRuntimeException().isThrownBy(() -> SecretBox.open(otherKey, nonce, box))
			.withMessage("can't decrypt");
	}

	@Test
	void theMasterKeyHas32Bytes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretBoxEncryptor(new byte[16]))
			.withMessageContaining("32 bytes, got 16");
	}

	/**
	 * The SDK's view of encrypted data.
	 * @param encrypted the {@code {"nonce","ciphertext"}} JSON
	 * @return the message the SDK decrypts
	 */
	public static EncryptedMessage message(String encrypted) {
		JsonNode json = JsonMapper.shared().readTree(encrypted);
		return new EncryptedMessage(json.get("nonce").stringValue(), json.get("ciphertext").stringValue());
	}

}
