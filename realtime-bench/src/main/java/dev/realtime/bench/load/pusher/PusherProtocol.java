package dev.realtime.bench.load.pusher;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.realtime.bench.load.Protocol;
import dev.realtime.bench.load.Subscriber;

/**
 * Pusher protocol v7 as pusher-js speaks it: connect to {@code /app/{key}?protocol=7}, wait
 * for {@code pusher:connection_established}, send {@code pusher:subscribe}, wait for
 * {@code pusher_internal:subscription_succeeded}. Presence channels are authorized here,
 * with the app secret, exactly as the app's auth endpoint would sign them, so the benchmark
 * measures the server and not an auth round trip.
 */
public final class PusherProtocol implements Protocol {

	private static final Pattern SOCKET_ID = Pattern.compile("socket_id\\\\?\":\\\\?\"([0-9.]+)");

	private final String host;

	private final int port;

	private final String key;

	private final String secret;

	/**
	 * A Pusher protocol adapter.
	 * @param host the server host
	 * @param port the server port
	 * @param key the app key
	 * @param secret the app secret (signs presence subscriptions)
	 */
	public PusherProtocol(String host, int port, String key, String secret) {
		this.host = host;
		this.port = port;
		this.key = key;
		this.secret = secret;
	}

	@Override
	public String name() {
		return "realtime (Pusher v7)";
	}

	@Override
	public URI uri(String channel) {
		return URI.create("ws://" + this.host + ":" + this.port + "/app/" + this.key
				+ "?protocol=7&client=bench&version=1.0");
	}

	@Override
	public void opened(Subscriber subscriber) {
		// wait for pusher:connection_established
	}

	@Override
	public void control(Subscriber subscriber, String text) {
		if (text.contains("pusher:connection_established")) {
			Matcher matcher = SOCKET_ID.matcher(text);
			if (!matcher.find()) {
				subscriber.failed("no socket id in " + text);
				return;
			}
			subscriber.session(matcher.group(1));
			subscriber.send(subscribe(subscriber.channelName(), matcher.group(1)));
		}
		else if (text.contains("pusher_internal:subscription_succeeded")) {
			subscriber.subscribed();
		}
		else if (text.contains("pusher:error") || text.contains("pusher:subscription_error")) {
			subscriber.failed(text);
		}
	}

	private String subscribe(String channel, String socketId) {
		if (!channel.startsWith("presence-")) {
			return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
		}
		String userId = "u" + socketId.replace('.', '-');
		String channelData = "{\"user_id\":\"" + userId + "\",\"user_info\":{}}";
		String auth = this.key + ":" + sign(socketId + ":" + channel + ":" + channelData);
		return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth
				+ "\",\"channel_data\":\"" + channelData.replace("\"", "\\\"") + "\"}}";
	}

	private String sign(String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
