package dev.realtime.pusher;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PusherSignatures}, with the protocol's test vectors.
 */
class PusherSignaturesTests {

	private static final App APP = new App("1", "278d425bdf160c739803", "7ad3773142a6692b25b8");

	private static final String SOCKET = "1234.1234";

	@Test
	void privateChannelVector() {
		assertThat(PusherSignatures.channelAuth(APP, SOCKET, "private-foobar", null)).isEqualTo(
				"278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
	}

	@Test
	void presenceChannelVector() {
		String channelData = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
		assertThat(PusherSignatures.channelAuth(APP, SOCKET, "presence-foobar", channelData)).isEqualTo(
				"278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80");
	}

	@Test
	void userSigninVector() {
		assertThat(PusherSignatures.userAuth(APP, SOCKET, "{\"id\":\"12345\"}")).isEqualTo(
				"278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba");
	}

	@Test
	void verifyAcceptsOnlyTheRightKeyAndSignature() {
		String signed = PusherSignatures.channelString(SOCKET, "private-foobar", null);
		String auth = PusherSignatures.channelAuth(APP, SOCKET, "private-foobar", null);
		assertThat(PusherSignatures.verify(APP, auth, signed)).isTrue();
		assertThat(PusherSignatures.verify(APP, auth.replace("278d", "000d"), signed)).isFalse();
		assertThat(PusherSignatures.verify(APP, auth.substring(0, auth.length() - 1) + "0", signed)).isFalse();
		assertThat(PusherSignatures.verify(APP, auth, PusherSignatures.channelString("1.1", "private-foobar", null)))
			.isFalse();
		assertThat(PusherSignatures.verify(APP, null, signed)).isFalse();
		assertThat(PusherSignatures.verify(APP, "no-colon", signed)).isFalse();
		assertThat(PusherSignatures.verify(APP, "", signed)).isFalse();
	}

	@Test
	void sharedSecretIsTheBase64Sha256OfChannelAndMasterKey() throws Exception {
		byte[] masterKey = new byte[32];
		for (int i = 0; i < 32; i++) {
			masterKey[i] = (byte) i;
		}
		java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
		sha.update("private-encrypted-x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		sha.update(masterKey);
		assertThat(PusherSignatures.sharedSecret("private-encrypted-x", masterKey))
			.isEqualTo(Base64.getEncoder().encodeToString(sha.digest()));
	}

}
