package dev.realtime.http;

import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.realtime.pusher.App;
import org.jspecify.annotations.Nullable;

/**
 * A webhook receiver, the app whose credentials sign what it is sent, and which events it
 * is sent: the event types it asked for, on the channels its filter lets through, with the
 * extra headers it wants on every request.
 *
 * @param url where webhooks are POSTed
 * @param app signs them ({@code X-Pusher-Key}, {@code X-Pusher-Signature})
 * @param events the event types this receiver is sent
 * @param channelPrefix only events of channels starting with this are sent, or
 * {@code null} for any channel
 * @param channelSuffix only events of channels ending with this are sent, or {@code null}
 * for any channel
 * @param headers extra request headers (for example an {@code Authorization} the receiver
 * checks); never one the sender sets itself ({@link #RESERVED_HEADERS})
 */
public record WebhookEndpoint(URI url, App app, Set<WebhookEventType> events, @Nullable String channelPrefix,
		@Nullable String channelSuffix, Map<String, String> headers) {

	/**
	 * Headers an endpoint may not set, in lower case: the sender sets them (the body's
	 * type and length, the signature and the key it is checked with) or the HTTP client
	 * owns them (the connection's).
	 */
	public static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
			"x-pusher-key", "x-pusher-signature", "connection", "expect", "upgrade", "transfer-encoding");

	public WebhookEndpoint {
		Objects.requireNonNull(url, "url");
		Objects.requireNonNull(app, "app");
		Objects.requireNonNull(events, "events");
		events = events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
		channelPrefix = (channelPrefix != null && channelPrefix.isEmpty()) ? null : channelPrefix;
		channelSuffix = (channelSuffix != null && channelSuffix.isEmpty()) ? null : channelSuffix;
		checkHeaders(headers);
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * A receiver of every event the dispatcher produces, on every channel, without extra
	 * headers.
	 * @param url where webhooks are POSTed
	 * @param app signs them
	 */
	public WebhookEndpoint(URI url, App app) {
		this(url, app, EnumSet.allOf(WebhookEventType.class), null, null, Map.of());
	}

	/**
	 * Whether this receiver is sent an event.
	 * @param event the event
	 * @return whether its type was asked for and its channel passes the filter
	 */
	public boolean accepts(WebhookEvent event) {
		return accepts(event.type(), event.channel());
	}

	/**
	 * Whether this receiver is sent events of a type on a channel.
	 * @param type the event type
	 * @param channel the channel
	 * @return whether the type was asked for and the channel passes the filter
	 */
	public boolean accepts(WebhookEventType type, String channel) {
		return this.events.contains(type) && (this.channelPrefix == null || channel.startsWith(this.channelPrefix))
				&& (this.channelSuffix == null || channel.endsWith(this.channelSuffix));
	}

	/**
	 * Check extra headers: names must be HTTP tokens and not {@link #RESERVED_HEADERS},
	 * values printable ASCII (tabs allowed), so a request can never carry a second line or
	 * a header overriding the signature.
	 * @param headers the headers
	 * @throws IllegalArgumentException naming the first header refused and why
	 */
	public static void checkHeaders(Map<String, String> headers) {
		Objects.requireNonNull(headers, "headers");
		for (Map.Entry<String, String> header : headers.entrySet()) {
			String name = header.getKey();
			if (name == null || name.isEmpty() || !name.chars().allMatch(WebhookEndpoint::isTokenChar)) {
				throw new IllegalArgumentException("'" + name + "' is not a valid HTTP header name");
			}
			if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException("Header '" + name
						+ "' is set by the webhook sender itself and cannot be configured (reserved: "
						+ String.join(", ", RESERVED_HEADERS.stream().sorted().toList()) + ")");
			}
			String value = header.getValue();
			if (value == null || !value.chars().allMatch((c) -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
				throw new IllegalArgumentException("The value of header '" + name
						+ "' is not a valid HTTP header value (printable ASCII only, no line breaks)");
			}
		}
	}

	private static boolean isTokenChar(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
	}

}
