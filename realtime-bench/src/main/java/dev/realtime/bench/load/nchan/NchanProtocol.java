package dev.realtime.bench.load.nchan;

import java.net.URI;

import dev.realtime.bench.load.Protocol;
import dev.realtime.bench.load.Subscriber;

/**
 * nchan's WebSocket subscriber endpoint {@code /sub/{channel}}: the channel is in the URL,
 * so the subscription exists once the handshake completes.
 */
public final class NchanProtocol implements Protocol {

	private final String host;

	private final int port;

	/**
	 * An nchan adapter.
	 * @param host the nginx host
	 * @param port the nginx port
	 */
	public NchanProtocol(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@Override
	public String name() {
		return "nchan (nginx)";
	}

	@Override
	public URI uri(String channel) {
		return URI.create("ws://" + this.host + ":" + this.port + "/sub/" + channel);
	}

	@Override
	public void opened(Subscriber subscriber) {
		subscriber.subscribed();
	}

	@Override
	public void control(Subscriber subscriber, String text) {
		// nchan sends only the published messages
	}

}
