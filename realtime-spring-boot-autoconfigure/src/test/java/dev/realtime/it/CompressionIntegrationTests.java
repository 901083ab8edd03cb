package dev.realtime.it;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.realtime.pusher.Realtime;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * permessage-deflate (RFC 7692) with {@code realtime.compression.enabled=true} on the
 * Servlet transport (Tomcat's own compression), seen on the wire by a raw client that
 * offers it: broadcasts arrive compressed (RSV1, fewer bytes) and inflate to the event,
 * compressed client messages are understood, and a small frame that inflates far past the
 * message limit (a zip bomb) closes the connection with 1009.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.compression.enabled=true" })
class CompressionIntegrationTests {

	private static final String PATH = "/app/test-key?protocol=7";

	@LocalServerPort
	private int port;

	@Autowired
	private Realtime realtime;

	/**
	 * The port clients open WebSockets on.
	 * @return the port
	 */
	protected int webSocketPort() {
		return this.port;
	}

	private DeflateClient connect() throws IOException {
		DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()), PATH,
				DeflateClient.OFFER);
		assertThat(client.readText().text()).contains("pusher:connection_established");
		return client;
	}

	@Test
	void extensionIsNegotiatedWithoutServerContextTakeover() throws IOException {
		try (DeflateClient client = connect()) {
			assertThat(client.extensions()).startsWith("permessage-deflate").contains("server_no_context_takeover");
		}
	}

	@Test
	void broadcastArrivesCompressedAndInflatesToTheEvent() throws IOException {
		try (DeflateClient client = connect()) {
			client.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}", false);
			assertThat(client.readText().text()).contains("subscription_succeeded");
			String story = "all the news that fits, ".repeat(100);
			this.realtime.publish("news", "story", story);
			DeflateClient.WireFrame frame = client.readText();
			assertThat(frame.rsv1()).as("RSV1: compressed").isTrue();
			String text = frame.text();
			assertThat(text).contains("\"event\":\"story\"").contains(story.trim());
			assertThat(frame.payload().length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 4);
		}
	}

	@Test
	void nettysClientWithItsStockCompressionHandlerGetsCompressedEvents() throws Exception {
		try (NettyDeflateClient client = new NettyDeflateClient(
				URI.create("ws://127.0.0.1:" + webSocketPort() + PATH))) {
			assertThat(client.next()).contains("pusher:connection_established");
			client.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"netty-news\"}}");
			assertThat(client.next()).contains("subscription_succeeded");
			String story = "netty reads this, ".repeat(100);
			this.realtime.publish("netty-news", "story", story);
			assertThat(client.next()).contains("\"event\":\"story\"").contains(story.trim());
			assertThat(client.lastWasCompressed()).as("RSV1 on the wire").isTrue();
		}
	}

	@Test
	void compressedClientMessageIsUnderstood() throws IOException {
		try (DeflateClient client = connect()) {
			client.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"compressed-in\"}}", true);
			assertThat(client.readText().text()).contains("subscription_succeeded").contains("compressed-in");
		}
	}

	@Test
	void zipBombIsRefusedWith1009AndTheServerKeepsServing() throws IOException {
		// 10 MB of one letter deflates to about 10 KB: under the frame limit (20 KB),
		// a thousand times over the message limit once inflated.
		byte[] bomb = DeflateClient.deflate(("{\"event\":\"x\",\"data\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8));
		assertThat(bomb.length).isLessThan(20 * 1024);
		try (DeflateClient client = connect()) {
			client.sendFrame(bomb, true);
			DeflateClient.WireFrame close = client.readText();
			while (close.opcode() != 0x8) {
				close = client.readText();
			}
			assertThat(close.closeCode()).isEqualTo(1009);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (DeflateClient again = connect()) {
				again.sendText("{\"event\":\"pusher:ping\",\"data\":{}}", true);
				assertThat(again.readText().text()).contains("pusher:pong");
			}
		});
	}

}
