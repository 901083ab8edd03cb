package dev.realtime.sample;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost made by the JDK's {@code keytool} (run as a
 * process) and written as {@code cert.pem} and {@code key.pem}, the files of a PEM SSL
 * bundle ({@code spring.ssl.bundle.pem.*}); {@code cert.pem} is also what Node is told to
 * trust ({@code NODE_EXTRA_CA_CERTS}).
 */
final class SelfSignedCertificate {

	private static final String PASSWORD = "changeit";

	private SelfSignedCertificate() {
	}

	static void write(Path directory) throws Exception {
		Path store = directory.resolve("keystore.p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "realtime", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
				"-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD, "-ext",
				"san=dns:localhost,ip:127.0.0.1"))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, PASSWORD.toCharArray());
		}
		Certificate certificate = keyStore.getCertificate("realtime");
		PrivateKey key = (PrivateKey) keyStore.getKey("realtime", PASSWORD.toCharArray());
		Files.writeString(directory.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
		Files.writeString(directory.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
