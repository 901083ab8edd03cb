package dev.realtime.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost made by the JDK's {@code keytool} (run as a
 * process), written as the PEM files a Spring Boot SSL bundle reads
 * ({@code spring.ssl.bundle.pem.*}).
 */
final class SelfSignedCertificate {

	private static final String PASSWORD = "changeit";

	private SelfSignedCertificate() {
	}

	/**
	 * Make a key pair and certificate for {@code CN=commonName} and write (or replace)
	 * {@code cert.pem} and {@code key.pem} in {@code directory}.
	 * @return the certificate
	 */
	static X509Certificate write(Path directory, String commonName) throws Exception {
		Path store = Files.createTempFile(directory, "keystore", ".p12");
		Files.delete(store);
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "realtime", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "2", "-storetype", "PKCS12",
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
		Files.delete(store);
		X509Certificate certificate = (X509Certificate) keyStore.getCertificate("realtime");
		PrivateKey key = (PrivateKey) keyStore.getKey("realtime", PASSWORD.toCharArray());
		// Written aside and moved in, so that the bundle's watcher never reads half a file.
		replace(directory.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
		replace(directory.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
		return certificate;
	}

	private static void replace(Path target, String content) throws IOException {
		Path temp = Files.createTempFile(target.getParent(), ".new", ".tmp");
		Files.writeString(temp, content);
		Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
