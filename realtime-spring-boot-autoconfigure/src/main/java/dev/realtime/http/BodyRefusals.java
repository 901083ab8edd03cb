package dev.realtime.http;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The body checks and words shared by {@link RequestBodyLimitFilter} (the application's
 * port) and {@link HttpApi} (which the Netty port calls itself, with no servlet filter
 * before it), so that both ports refuse the same requests in the same words.
 */
final class BodyRefusals {

	private BodyRefusals() {
	}

	/**
	 * Whether a request's body is multipart, which no Pusher client sends.
	 * @param contentType the request's {@code Content-Type}, or {@code null}
	 * @return whether it is {@code multipart/*}
	 */
	static boolean isMultipart(@Nullable String contentType) {
		return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/");
	}

	/**
	 * The words of a 415 for a multipart body.
	 * @param accepted the media type the endpoint takes
	 * @param maxBodySize the largest body, in bytes
	 * @return the message
	 */
	static String multipart(Object accepted, long maxBodySize) {
		return "Multipart bodies are not accepted here: send " + accepted + " (at most " + maxBodySize + " bytes)";
	}

	/**
	 * The words of a 413.
	 * @param maxBodySize the largest body, in bytes
	 * @return the message
	 */
	static String tooLarge(long maxBodySize) {
		return "Request body too large: at most " + maxBodySize + " bytes allowed";
	}

}
