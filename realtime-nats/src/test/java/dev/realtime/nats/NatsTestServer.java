package dev.realtime.nats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server the tests use: {@code REALTIME_TEST_NATS_URL}, else
 * {@code nats://127.0.0.1:4222} (CI runs one with JetStream there). Tests skip, with a
 * message, when it is not reachable. Every test uses its own prefix and removes its
 * buckets, since other people's tests share the server.
 */
final class NatsTestServer {

	private NatsTestServer() {
	}

	static String url() {
		String url = System.getenv("REALTIME_TEST_NATS_URL");
		return (url != null && !url.isBlank()) ? url : "nats://127.0.0.1:4222";
	}

	static void assumeReachable() {
		URI uri = URI.create(url());
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
		}
		catch (IOException ex) {
			Assumptions.abort("No NATS server at " + url()
					+ " (start nats-server -js, or set REALTIME_TEST_NATS_URL): " + ex.getMessage());
		}
	}

	static String uniquePrefix() {
		return "rt-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Delete every bucket a test with this prefix may have made. */
	static void deleteBuckets(String prefix) {
		try (Connection admin = Nats.connect(url())) {
			KeyValueManagement management = admin.keyValueManagement();
			for (String name : List.of("nodes", "presence", "counts", "conns", "webhooks", "cache")) {
				try {
					management.delete(prefix + "-" + name);
				}
				catch (JetStreamApiException ex) {
					// Never made.
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
