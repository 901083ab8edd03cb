package dev.realtime.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.netty.NettyRealtimeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * {@code wss://} on the Netty transport from a Spring Boot SSL bundle made of a
 * self-signed certificate written by the test: the endpoint presents it, speaks the
 * Pusher protocol (with compression) over it, and after the certificate files are
 * replaced presents the new certificate to new connections while an open connection
 * keeps working.
 */
class NettyTlsIntegrationTests {

	@TempDir
	Path certificates;

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RealtimeAutoConfiguration.class))
			.withPropertyValues("realtime.transport=netty", "realtime.netty.port=0",
					"realtime.netty.address=127.0.0.1", "realtime.apps[0].id=1", "realtime.apps[0].key=test-key",
					"realtime.apps[0].secret=s", "realtime.compression.enabled=true",
					"realtime.netty.ssl.bundle=realtime",
					"spring.ssl.bundle.pem.realtime.keystore.certificate=file:" + this.certificates.resolve("cert.pem"),
					"spring.ssl.bundle.pem.realtime.keystore.private-key=file:" + this.certificates.resolve("key.pem"),
					"spring.ssl.bundle.pem.realtime.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms");
	}

	@Test
	void endpointPresentsTheBundlesCertificateAndReloadsIt() throws Exception {
		X509Certificate first = SelfSignedCertificate.write(this.certificates, "first");
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			int port = context.getBean(NettyRealtimeServer.class).port();
			try (SSLSocket open = connect(port)) {
				assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first);
				DeflateClient client = DeflateClient.open(open, "/app/test-key?protocol=7", DeflateClient.OFFER);
				assertThat(client.readText().text()).contains("pusher:connection_established");
				X509Certificate second = SelfSignedCertificate.write(this.certificates, "second");
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
					try (SSLSocket fresh = connect(port)) {
						assertThat(fresh.getSession().getPeerCertificates()[0]).isEqualTo(second);
					}
				});
				// The connection opened before the reload keeps its session.
				client.sendText("{\"event\":\"pusher:ping\",\"data\":{}}", true);
				assertThat(client.readText().text()).contains("pusher:pong");
			}
		});
	}

	@Test
	void plainConnectionToTheTlsPortIsNotServed() throws Exception {
		SelfSignedCertificate.write(this.certificates, "plain");
		contextRunner().run((context) -> {
			int port = context.getBean(NettyRealtimeServer.class).port();
			try (Socket socket = new Socket("127.0.0.1", port)) {
				assertThatIOException()
					.isThrownBy(() -> DeflateClient.open(socket, "/app/test-key?protocol=7", null));
			}
		});
	}

	private static SSLSocket connect(int port) throws IOException {
		try {
			SSLContext tls = SSLContext.getInstance("TLS");
			tls.init(null, new TrustManager[] { new TrustEverything() }, new SecureRandom());
			SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			return socket;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The test reads the certificate it is shown rather than trusting one. */
	private static final class TrustEverything implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
