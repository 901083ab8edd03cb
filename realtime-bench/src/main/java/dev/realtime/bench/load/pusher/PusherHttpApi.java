package dev.realtime.bench.load.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.realtime.bench.load.NettyHttpPublisher;

/**
 * Signed requests to the Pusher HTTP API's {@code POST /apps/{id}/events}, as the Pusher
 * server SDKs make them ({@code pusher.trigger(channel, event, data)}): the body
 * {@code {"name":..,"data":"..","channels":[..]}}, its MD5 in {@code body_md5}, and the
 * HMAC-SHA256 with the secret over {@code POST\npath\nquery} with the query's keys sorted
 * ({@code auth_key}, {@code auth_timestamp}, {@code auth_version=1.0}, {@code body_md5}),
 * sent as {@code auth_signature}. The payload becomes the event's {@code data} string.
 */
public final class PusherHttpApi {

	private PusherHttpApi() {
	}

	/**
	 * A request factory for {@link NettyHttpPublisher}.
	 * @param appId the app id
	 * @param key the app key
	 * @param secret the app secret
	 * @return makes a signed request from a channel and a payload
	 */
	public static BiFunction<String, String, NettyHttpPublisher.Post> events(String appId, String key, String secret) {
		String path = "/apps/" + appId + "/events";
		return (channel, payload) -> {
			String body = "{\"name\":\"bench\",\"data\":\"" + payload.replace("\"", "\\\"")
					+ "\",\"channels\":[\"" + channel + "\"]}";
			return signed(path, body, key, secret);
		};
	}

	/**
	 * A request factory for {@link NettyHttpPublisher} with several messages per request:
	 * {@code POST /apps/{id}/batch_events} ({@code pusher.triggerBatch(...)}), one event per
	 * message.
	 * @param appId the app id
	 * @param key the app key
	 * @param secret the app secret
	 * @return makes a signed request from the messages
	 */
	public static Function<List<NettyHttpPublisher.Message>, NettyHttpPublisher.Post> batchEvents(String appId,
			String key, String secret) {
		String path = "/apps/" + appId + "/batch_events";
		return (messages) -> {
			StringBuilder body = new StringBuilder(64 + messages.size() * 96).append("{\"batch\":[");
			for (int i = 0; i < messages.size(); i++) {
				NettyHttpPublisher.Message message = messages.get(i);
				body.append((i == 0) ? "" : ",")
					.append("{\"name\":\"bench\",\"channel\":\"")
					.append(message.channel())
					.append("\",\"data\":\"")
					.append(message.payload().replace("\"", "\\\""))
					.append("\"}");
			}
			return signed(path, body.append("]}").toString(), key, secret);
		};
	}

	private static NettyHttpPublisher.Post signed(String path, String body, String key, String secret) {
		String query = "auth_key=" + key + "&auth_timestamp=" + (System.currentTimeMillis() / 1000)
				+ "&auth_version=1.0&body_md5=" + hex(digest(body));
		String signature = hex(hmac(secret, "POST\n" + path + "\n" + query));
		return new NettyHttpPublisher.Post(path + "?" + query + "&auth_signature=" + signature, "application/json",
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] digest(String body) {
		try {
			return MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] hmac(String secret, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
