package dev.realtime.bench.load.stomp;

import java.net.URI;

import dev.realtime.bench.load.Protocol;
import dev.realtime.bench.load.Subscriber;
import org.jspecify.annotations.Nullable;

/**
 * STOMP 1.2 over plain WebSocket, as stomp.js speaks it to Spring: CONNECT, wait for
 * CONNECTED, SUBSCRIBE to {@code /topic/{channel}}. Spring's simple broker sends no RECEIPT,
 * so a subscription counts as made once SUBSCRIBE is written; the scenarios wait a moment
 * before publishing to let the broker register it.
 */
public final class StompProtocol implements Protocol {

	private final String host;

	private final int port;

	/**
	 * A STOMP adapter.
	 * @param host the server host
	 * @param port the server port
	 */
	public StompProtocol(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@Override
	public String name() {
		return "Spring STOMP simple broker";
	}

	@Override
	public URI uri(String channel) {
		return URI.create("ws://" + this.host + ":" + this.port + "/stomp");
	}

	@Override
	public @Nullable String subprotocol() {
		return "v12.stomp";
	}

	@Override
	public void opened(Subscriber subscriber) {
		subscriber.send("CONNECT\naccept-version:1.2\nhost:" + this.host + "\nheart-beat:0,0\n\n\0");
	}

	@Override
	public void control(Subscriber subscriber, String text) {
		if (text.startsWith("CONNECTED")) {
			subscriber.send("SUBSCRIBE\nid:0\ndestination:/topic/" + subscriber.channelName() + "\n\n\0");
			subscriber.subscribed();
		}
		else if (text.startsWith("ERROR")) {
			subscriber.failed(text);
		}
	}

}
