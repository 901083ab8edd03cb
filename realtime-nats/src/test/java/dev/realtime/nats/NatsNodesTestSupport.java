package dev.realtime.nats;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Test nodes on the test NATS under a prefix of their own: skipped when no NATS is
 * reachable, and everything opened (in reverse order) and every bucket of the prefix
 * removed afterwards.
 */
abstract class NatsNodesTestSupport {

	protected final List<AutoCloseable> closeables = new ArrayList<>();

	protected String prefix = "";

	@BeforeEach
	void reachable() {
		NatsTestServer.assumeReachable();
		this.prefix = NatsTestServer.uniquePrefix();
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		if (!this.prefix.isEmpty()) {
			NatsTestServer.deleteBuckets(this.prefix);
		}
	}

}
