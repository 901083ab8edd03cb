package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Validity;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local webhook receiver that checks each request as a Pusher webhook handler does
 * (with the Pusher SDK's own signature validation) and records the events of valid ones.
 */
public class WebhookReceiver implements AutoCloseable {

	public final List<JsonNode> events = new CopyOnWriteArrayList<>();

	public final List<String> problems = new CopyOnWriteArrayList<>();

	/** The headers of every request, answered or not. */
	public final List<Headers> headers = new CopyOnWriteArrayList<>();

	final AtomicInteger requests = new AtomicInteger();

	/** Answer this many requests with 500 before accepting. */
	final AtomicInteger failuresToAnswer = new AtomicInteger();

	/** Wait this long before answering each request: a slow receiver (one request at a time). */
	final AtomicInteger delayMillis = new AtomicInteger();

	private final HttpServer server;

	private final Pusher validator;

	private final String key;

	public WebhookReceiver(String appId, String key, String secret) throws IOException {
		this.key = key;
		this.validator = new Pusher(appId, key, secret);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/webhooks", this::handle);
		this.server.start();
	}

	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/webhooks");
	}

	public List<String> names() {
		return this.events.stream().map((event) -> event.get("name").asString()).toList();
	}

	public List<JsonNode> named(String name) {
		return this.events.stream().filter((event) -> event.get("name").asString().equals(name)).toList();
	}

	/**
	 * The values of a header, one per request (null where a request did not have it).
	 * @param name the header's name, in any case
	 * @return its values
	 */
	public List<String> header(String name) {
		return this.headers.stream().map((headers) -> headers.getFirst(name)).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		this.headers.add(exchange.getRequestHeaders());
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		int delay = this.delayMillis.get();
		if (delay > 0) {
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.failuresToAnswer.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			answer(exchange, 500);
			return;
		}
		String signature = exchange.getRequestHeaders().getFirst("X-Pusher-Signature");
		String key = exchange.getRequestHeaders().getFirst("X-Pusher-Key");
		if (!"POST".equals(exchange.getRequestMethod())
				|| !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
				|| !this.key.equals(key)
				|| this.validator.validateWebhookSignature(key, signature, body) != Validity.VALID) {
			this.problems.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().entrySet() + " " + body);
			answer(exchange, 401);
			return;
		}
		JsonNode json = JsonMapper.shared().readTree(body);
		if (!json.get("time_ms").isNumber()) {
			this.problems.add("no time_ms: " + body);
		}
		json.get("events").forEach(this.events::add);
		answer(exchange, 200);
	}

	private static void answer(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	@Override
	public void close() throws Exception {
		this.server.stop(0);
		this.validator.close();
	}

}
