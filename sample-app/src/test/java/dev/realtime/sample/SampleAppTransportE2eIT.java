package dev.realtime.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transport suite ({@code e2e/transport/}) against the Netty endpoint with TLS from a
 * PEM SSL bundle (a self-signed certificate made before the context starts) and
 * permessage-deflate: pusher-js with {@code forceTLS}, and Node's {@code ws} over
 * {@code wss://} checking the compressed frames on the wire. Node trusts the certificate
 * through {@code NODE_EXTRA_CA_CERTS}, in the suite's process only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.transport=netty", "realtime.netty.port=0", "realtime.compression.enabled=true",
				"realtime.netty.ssl.bundle=realtime" })
class SampleAppTransportE2eIT extends SampleAppE2eIT {

	private static final Path CERTIFICATES = certificates();

	@Autowired
	private NettyRealtimeServer server;

	@DynamicPropertySource
	static void sslBundle(DynamicPropertyRegistry registry) {
		registry.add("spring.ssl.bundle.pem.realtime.keystore.certificate",
				() -> "file:" + CERTIFICATES.resolve("cert.pem"));
		registry.add("spring.ssl.bundle.pem.realtime.keystore.private-key",
				() -> "file:" + CERTIFICATES.resolve("key.pem"));
	}

	private static Path certificates() {
		try {
			Path directory = Files.createTempDirectory("realtime-tls");
			SelfSignedCertificate.write(directory);
			return directory;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot make the test certificate", ex);
		}
	}

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

	@Override
	protected String suite() {
		return "transport/";
	}

	@Override
	protected void environment(Map<String, String> environment) {
		environment.put("REALTIME_WS_SCHEME", "wss");
		environment.put("NODE_EXTRA_CA_CERTS", CERTIFICATES.resolve("cert.pem").toString());
	}

	@Override
	protected String reportName() {
		return "e2e-transport-junit.xml";
	}

}
