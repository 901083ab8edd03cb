package dev.realtime.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes in this JVM on the real RabbitMQ: ordered delivery, routing by binding,
 * user termination, and recovery from a lost connection. Skipped when no broker is
 * reachable ({@code REALTIME_TEST_RABBITMQ_HOST}/{@code _PORT}, default 127.0.0.1:5672,
 * guest/guest).
 */
class RabbitClusterTest {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<Node> nodes = new ArrayList<>();

	private String exchange = "";

	@BeforeEach
	void reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), 500);
		}
		catch (IOException ex) {
			Assumptions.abort("No RabbitMQ at " + host() + ":" + port()
					+ " (start rabbitmq-server, or set REALTIME_TEST_RABBITMQ_HOST/PORT): " + ex.getMessage());
		}
		this.exchange = "rt-test-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		if (this.exchange.isEmpty()) {
			// Skipped: no broker, nothing made.
			return;
		}
		CachingConnectionFactory admin = factory(host(), port());
		try {
			RabbitAdmin rabbit = new RabbitAdmin(admin);
			for (Node node : this.nodes) {
				rabbit.deleteQueue(node.config.queue());
			}
			rabbit.deleteExchange(this.exchange);
		}
		finally {
			admin.destroy();
		}
	}

	@Test
	void eventsReachEveryNodeOnceAndInOrder() {
		Node a = node("a");
		Node b = node("b");
		Node c = node("c");
		List<RecordingConn> conns = new ArrayList<>();
		for (Node node : List.of(a, b, c)) {
			RecordingConn conn = new RecordingConn();
			node.hub.subscribe(node.hub.add(conn), "orders");
			conns.add(conn);
		}
		awaitBound("orders", a, b, c);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			a.broadcaster.publish(new Event("orders", "order", Integer.toString(i)));
			expected.add(Integer.toString(i));
		}
		for (RecordingConn conn : conns) {
			await().atMost(WAIT).until(() -> conn.payloads("order").size() >= 2000);
			assertThat(conn.payloads("order")).containsExactlyElementsOf(expected);
		}
		assertThat(a.broadcaster.remoteDropped()).isZero();
	}

	@Test
	void onlyNodesHoldingAChannelReceiveItAndTheSenderIsSkipped() {
		Node a = node("a");
		Node b = node("b");
		RecordingConn sender = new RecordingConn();
		RecordingConn other = new RecordingConn();
		Client senderClient = a.hub.add(sender);
		a.hub.subscribe(senderClient, "private-chat");
		b.hub.subscribe(b.hub.add(other), "private-chat");
		awaitBound("private-chat", a, b);
		a.broadcaster.publish(new Event("private-chat", "client-typing", "{}", senderClient.id(), "alice"));
		await().atMost(WAIT).until(() -> other.payloads("client-typing").size() == 1);
		assertThat(sender.payloads("client-typing")).isEmpty();
		// Nobody on b holds "news": a's event never reaches b.
		a.broadcaster.publish(new Event("news", "item", "x"));
		a.broadcaster.publish(new Event("private-chat", "marker", "m"));
		await().atMost(WAIT).until(() -> other.payloads("marker").size() == 1);
		assertThat(b.broadcaster.health().received()).isEqualTo(2);
	}

	@Test
	void terminatingAUserClosesItsConnectionsOnEveryNode() {
		Node a = node("a");
		Node b = node("b");
		RecordingConn onA = new RecordingConn();
		RecordingConn onB = new RecordingConn();
		a.hub.signIn(a.hub.add(onA), "alice");
		b.hub.signIn(b.hub.add(onB), "alice");
		awaitBound("#server-to-user-alice", a, b);
		a.broadcaster.terminateUserConnections("alice");
		await().atMost(WAIT).until(() -> onA.closed() != null && onB.closed() != null);
		assertThat(onB.closed()).isEqualTo(CloseReason.TERMINATED);
	}

	@Test
	void aNodeThatLosesTheBrokerKeepsServingLocallyAndRecovers() throws Exception {
		CuttableProxy proxy = new CuttableProxy(host(), port());
		this.closeables.add(proxy);
		Node a = node("a", "127.0.0.1", proxy.port());
		Node b = node("b");
		RecordingConn onA = new RecordingConn();
		RecordingConn onB = new RecordingConn();
		a.hub.subscribe(a.hub.add(onA), "news");
		b.hub.subscribe(b.hub.add(onB), "news");
		awaitBound("news", a, b);

		proxy.cut();
		await().atMost(WAIT).until(() -> !a.broadcaster.health().up());
		a.broadcaster.publish(new Event("news", "item", "during"));
		await().atMost(WAIT).until(() -> onA.payloads("item").contains("during"));

		proxy.restore();
		await().atMost(WAIT).until(() -> a.broadcaster.health().up() && a.broadcaster.health().reconnects() >= 1);
		a.broadcaster.publish(new Event("news", "item", "after"));
		b.broadcaster.publish(new Event("news", "item", "from-b"));
		await().atMost(WAIT)
			.until(() -> onB.payloads("item").contains("after") && onA.payloads("item").contains("from-b"));
		assertThat(onB.payloads("item")).doesNotContain("during");
		assertThat(a.broadcaster.remoteDropped()).isGreaterThanOrEqualTo(1);
	}

	private void awaitBound(String channel, Node... nodes) {
		for (Node node : nodes) {
			await().atMost(WAIT).until(() -> node.broadcaster.isBound(channel) && node.broadcaster.health().up());
		}
	}

	private Node node(String name) {
		return node(name, host(), port());
	}

	private Node node(String name, String host, int port) {
		Node node = new Node(factory(host, port), RabbitEngineConfig.builder()
			.exchange(this.exchange)
			.nodeId(name)
			.nodeTtl(Duration.ofSeconds(30))
			.build());
		this.nodes.add(node);
		this.closeables.add(node);
		return node;
	}

	private static CachingConnectionFactory factory(String host, int port) {
		CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
		factory.setUsername(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_USER", "guest"));
		factory.setPassword(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_PASSWORD", "guest"));
		factory.setConnectionTimeout(2000);
		return factory;
	}

	private static String host() {
		return System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_HOST", "127.0.0.1");
	}

	private static int port() {
		return Integer.parseInt(System.getenv().getOrDefault("REALTIME_TEST_RABBITMQ_PORT", "5672"));
	}

	/** A hub with the RabbitMQ broadcaster, wired as the auto-configuration does. */
	private static final class Node implements AutoCloseable {

		final RabbitEngineConfig config;

		final CachingConnectionFactory factory;

		final RabbitBroadcaster broadcaster;

		final Hub hub;

		Node(CachingConnectionFactory factory, RabbitEngineConfig config) {
			this.config = config;
			this.factory = factory;
			this.broadcaster = new RabbitBroadcaster(factory, config, null);
			this.hub = new Hub(HubConfig.builder().outboxCapacity(4096).build());
			this.hub.onChannelLifecycle(this.broadcaster);
			this.broadcaster.subscribeAll((event) -> this.hub.broadcastExcept(event.channel(),
					Frame.text("event|" + event.channel() + "|" + event.name() + "|" + event.payload()),
					event.exceptSocketId()));
			this.broadcaster.setUserTerminator((userId) -> this.hub.disconnectUser(userId, CloseReason.TERMINATED));
			this.broadcaster.start();
		}

		@Override
		public void close() {
			this.broadcaster.close();
			this.hub.close();
			this.factory.destroy();
		}

	}

}
