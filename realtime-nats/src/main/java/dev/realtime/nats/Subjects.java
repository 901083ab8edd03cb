package dev.realtime.nats;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Names in NATS for channels: a subject per channel and a key-value key per presence
 * channel.
 * <p>
 * A subject token may not hold {@code .}, {@code *}, {@code >} or white space, so every
 * byte outside a safe set is written as {@code %XX} (an injective escape: two channels
 * never share a subject). Keys allow even fewer characters, so they are the channel in
 * unpadded URL-safe Base64.
 */
final class Subjects {

	private final String channelPrefix;

	Subjects(String prefix) {
		this.channelPrefix = prefix + ".ch.";
	}

	String channel(String channel) {
		StringBuilder subject = new StringBuilder(this.channelPrefix.length() + channel.length() + 8)
			.append(this.channelPrefix);
		for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '=' || c == '@' || c == ',' || c == ';' || c == '#') {
				subject.append((char) c);
			}
			else {
				subject.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		return subject.toString();
	}

	static String key(String value) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

	static String fromKey(String key) {
		return new String(Base64.getUrlDecoder().decode(key), StandardCharsets.UTF_8);
	}

}
