package dev.realtime.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.realtime.netty.NettyRealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compression tests again on the Netty transport, which negotiates permessage-deflate
 * itself (no context takeover either way) and sends each broadcast compressed once for all
 * connections; plus what only it does.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=test-key", "realtime.apps[0].secret=test-secret",
				"realtime.compression.enabled=true", "realtime.transport=netty", "realtime.netty.port=0" })
class NettyCompressionIntegrationTests extends CompressionIntegrationTests {

	@Autowired
	private NettyRealtimeServer server;

	@Override
	protected int webSocketPort() {
		return this.server.port();
	}

	@Test
	void answerGrantsClientNoContextTakeoverOnlyWhenOffered() throws IOException {
		try (DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()),
				"/app/test-key?protocol=7", "permessage-deflate; client_no_context_takeover")) {
			assertThat(client.extensions())
				.isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
		}
		try (DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()),
				"/app/test-key?protocol=7", DeflateClient.OFFER)) {
			assertThat(client.extensions()).isEqualTo("permessage-deflate; server_no_context_takeover");
		}
	}

	@Test
	void clientThatKeepsItsWindowIsInflatedWithIt() throws IOException {
		try (DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()),
				"/app/test-key?protocol=7", DeflateClient.OFFER)) {
			assertThat(client.readText().text()).contains("pusher:connection_established");
			// One deflate stream over two messages: the second refers back into the first.
			String first = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"window-one\"}}";
			String second = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"window-two\"}}";
			byte[][] messages = DeflateClient.deflateWithContext(first.getBytes(StandardCharsets.UTF_8),
					second.getBytes(StandardCharsets.UTF_8));
			client.sendFrame(messages[0], true);
			assertThat(client.readText().text()).contains("window-one");
			client.sendFrame(messages[1], true);
			assertThat(client.readText().text()).contains("window-two");
		}
	}

	@Test
	void offerOfASmallerServerWindowIsDeclinedAndMessagesGoUncompressed() throws IOException {
		try (DeflateClient client = DeflateClient.open(new Socket("127.0.0.1", webSocketPort()),
				"/app/test-key?protocol=7", "permessage-deflate; server_max_window_bits=10")) {
			assertThat(client.extensions()).isNull();
			DeflateClient.WireFrame established = client.readText();
			assertThat(established.rsv1()).isFalse();
			assertThat(established.text()).contains("pusher:connection_established");
		}
	}

}
