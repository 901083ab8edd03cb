package dev.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.realtime.ChannelNames;
import dev.realtime.ChannelStats;
import dev.realtime.ChannelType;
import dev.realtime.InvalidChannelException;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.Realtime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;


/**
 * The Pusher HTTP API, for the Pusher server SDKs, independent of the transport that
 * carries it (the servlet {@link HttpApiFilter} on the application port, and the Netty
 * transport's own port): publish events and query channels.
 * <ul>
 * <li>{@code POST /apps/{id}/events} and {@code POST /apps/{id}/batch_events}</li>
 * <li>{@code GET /apps/{id}/channels}, {@code GET /apps/{id}/channels/{name}} and
 * {@code GET /apps/{id}/channels/{name}/users}</li>
 * <li>{@code POST /apps/{id}/users/{user_id}/terminate_connections}</li>
 * </ul>
 * Every request is signed with the app's secret ({@link SignedRequestVerifier}) and only
 * ever reaches that app's {@link AppHub}: events are published through the app's
 * {@link Realtime} facade (so they reach every node and fill cache channels) and answers
 * come from the app's {@link ChannelStats} (cluster-wide with Redis), so one app's
 * credentials cannot see or touch another app's channels or users.
 * Errors are answered as plain text with 400 (malformed, or a query key given twice), 401 (signature or timestamp),
 * 403 (app disabled), 404 (unknown app), 413 (data over the limit) or 503 (cluster state
 * unavailable, or no room for another app on this node).
 */
public final class HttpApi {

	private static final Log logger = LogFactory.getLog(HttpApi.class);

	private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");

	private static final String APPLICATION_JSON = "application/json";

	private static final String TEXT_PLAIN = "text/plain;charset=UTF-8";

	private static final String USER_COUNT = "user_count";

	private static final String SUBSCRIPTION_COUNT = "subscription_count";

	private final AppRegistry apps;

	private final AppHubs hubs;

	private final JsonMapper jsonMapper;

	private final SignedRequestVerifier verifier;

	private final HttpApiSettings settings;

	/**
	 * Create the API.
	 * @param apps finds the app a path names
	 * @param hubs each app's hub, facade and statistics
	 * @param jsonMapper reads requests and writes answers
	 * @param verifier checks request signatures
	 * @param settings limits
	 */
	public HttpApi(AppRegistry apps, AppHubs hubs, JsonMapper jsonMapper, SignedRequestVerifier verifier,
			HttpApiSettings settings) {
		this.apps = apps;
		this.hubs = hubs;
		this.jsonMapper = jsonMapper;
		this.verifier = verifier;
		this.settings = settings;
	}

	/**
	 * Publish an event to one or more channels.
	 * @param appId the app id
	 * @param request the signed request, body
	 * {@code {name, data, channel | channels, socket_id?, info?}}
	 * @return {@code {}}, or {@code {"channels": {...}}} with the requested {@code info}
	 */
	public Answer events(String appId, Request request) {
		App app = app(appId);
		JsonNode body = readSignedJson(app, request);
		PendingEvent event = parseEvent(body, true, app);
		AppHub hub = hub(app);
		publish(hub, event);
		ObjectNode answer = this.jsonMapper.createObjectNode();
		if (!event.info().isEmpty()) {
			ObjectNode channels = answer.putObject("channels");
			for (String channel : event.channels()) {
				channels.set(channel, channelInfo(hub, channel, event.info()));
			}
		}
		return json(answer);
	}

	/**
	 * Publish several events in one request.
	 * @param appId the app id
	 * @param request the signed request, body {@code {batch: [{name, data, channel,
	 * socket_id?, info?}, ...]}}
	 * @return {@code {}}, or {@code {"batch": [{...}, ...]}} when an event asked for
	 * {@code info}
	 */
	public Answer batchEvents(String appId, Request request) {
		App app = app(appId);
		JsonNode body = readSignedJson(app, request);
		JsonNode batch = body.get("batch");
		if (batch == null || !batch.isArray()) {
			throw HttpApiException.badRequest("batch must be an array of events");
		}
		if (batch.size() > this.settings.maxBatchSize()) {
			throw HttpApiException.badRequest("Batch too large: " + batch.size() + " events, at most "
					+ this.settings.maxBatchSize() + " allowed");
		}
		List<PendingEvent> events = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			try {
				events.add(parseEvent(batch.get(i), false, app));
			}
			catch (HttpApiException ex) {
				throw new HttpApiException(ex.status(), "batch[" + i + "]: " + ex.getMessage());
			}
		}
		// Everything is checked before anything is published.
		AppHub hub = hub(app);
		events.forEach((event) -> publish(hub, event));
		ObjectNode answer = this.jsonMapper.createObjectNode();
		if (events.stream().anyMatch((event) -> !event.info().isEmpty())) {
			ArrayNode infos = answer.putArray("batch");
			for (PendingEvent event : events) {
				infos.add(channelInfo(hub, event.channels().get(0), event.info()));
			}
		}
		return json(answer);
	}

	/**
	 * The occupied channels.
	 * @param appId the app id
	 * @param request the signed request; {@code filter_by_prefix} and {@code info}
	 * ({@code user_count}, {@code subscription_count}) are optional
	 * @return {@code {"channels": {"name": {...}}}}
	 */
	public Answer channels(String appId, Request request) {
		App app = app(appId);
		Map<String, String> params = verified(app, request);
		ChannelStats stats = hub(app).stats();
		String prefix = params.getOrDefault("filter_by_prefix", "");
		Set<String> info = info(params.get("info"));
		if (info.contains(USER_COUNT) && !prefix.startsWith(ChannelType.PRESENCE.prefix())
				&& !prefix.startsWith(ChannelType.PRESENCE_CACHE.prefix())) {
			throw HttpApiException.badRequest("info=user_count needs filter_by_prefix=presence-");
		}
		ObjectNode answer = this.jsonMapper.createObjectNode();
		ObjectNode channels = answer.putObject("channels");
		for (Map.Entry<String, Integer> channel : clusterState(stats::occupiedChannels).entrySet()) {
			String name = channel.getKey();
			if (!name.startsWith(prefix)) {
				continue;
			}
			ObjectNode attributes = channels.putObject(name);
			if (info.contains(SUBSCRIPTION_COUNT)) {
				attributes.put(SUBSCRIPTION_COUNT, channel.getValue());
			}
			if (info.contains(USER_COUNT) && ChannelType.classify(name).isPresence()) {
				attributes.put(USER_COUNT, clusterState(() -> stats.users(name)).size());
			}
		}
		return json(answer);
	}

	/**
	 * One channel's state.
	 * @param appId the app id
	 * @param channel the channel
	 * @param request the signed request; {@code info} ({@code user_count},
	 * {@code subscription_count}) is optional
	 * @return {@code {"occupied": .., "subscription_count"?: .., "user_count"?: ..}}
	 */
	public Answer channel(String appId, String channel, Request request) {
		App app = app(appId);
		Map<String, String> params = verified(app, request);
		ChannelStats stats = hub(app).stats();
		validateChannel(channel);
		Set<String> info = info(params.get("info"));
		if (info.contains(USER_COUNT) && !ChannelType.classify(channel).isPresence()) {
			throw HttpApiException.badRequest("info=user_count is only available for presence channels");
		}
		int count = clusterState(() -> stats.subscriptionCount(channel));
		ObjectNode answer = this.jsonMapper.createObjectNode();
		answer.put("occupied", count > 0);
		if (info.contains(SUBSCRIPTION_COUNT)) {
			answer.put(SUBSCRIPTION_COUNT, count);
		}
		if (info.contains(USER_COUNT)) {
			answer.put(USER_COUNT, clusterState(() -> stats.users(channel)).size());
		}
		return json(answer);
	}

	/**
	 * The users of a presence channel.
	 * @param appId the app id
	 * @param channel the presence channel
	 * @param request the signed request
	 * @return {@code {"users": [{"id": ..}, ...]}}
	 */
	public Answer users(String appId, String channel, Request request) {
		App app = app(appId);
		verified(app, request);
		ChannelStats stats = hub(app).stats();
		validateChannel(channel);
		if (!ChannelType.classify(channel).isPresence()) {
			throw HttpApiException.badRequest("Users are only available for presence channels");
		}
		ObjectNode answer = this.jsonMapper.createObjectNode();
		ArrayNode users = answer.putArray("users");
		for (String id : clusterState(() -> stats.users(channel))) {
			users.addObject().put("id", id);
		}
		return json(answer);
	}

	/**
	 * Close every connection of a signed-in user, on every node.
	 * @param appId the app id
	 * @param userId the user id
	 * @param request the signed request
	 * @return {@code {}}
	 */
	public Answer terminateConnections(String appId, String userId, Request request) {
		App app = app(appId);
		this.verifier.verify(app, request.method(), request.path(), query(request.query()), request.body());
		if (userId.isEmpty() || userId.length() > 128) {
			throw HttpApiException.badRequest("user_id must have 1 to 128 characters");
		}
		hub(app).terminateUser(userId);
		return json(this.jsonMapper.createObjectNode());
	}

	/**
	 * Answer a request to a path under {@code /apps/}: the one router of both adapters.
	 * @param request the signed request; its path is raw (segments still percent-encoded)
	 * @return the answer, a refusal included
	 */
	public Answer route(Request request) {
		try {
			String[] segments = request.path().split("/", -1);
			// "", "apps", "{appId}", ...
			if (segments.length < 4 || !segments[0].isEmpty() || !segments[1].equals("apps")) {
				throw new HttpApiException(404, "No HTTP API endpoint at " + request.path());
			}
			String appId = decodeSegment(segments[2]);
			boolean post = request.method().equals("POST");
			boolean get = request.method().equals("GET");
			String first = segments[3];
			if (segments.length == 4 && first.equals("events")) {
				return post ? events(appId, request) : notAllowed(request);
			}
			if (segments.length == 4 && first.equals("batch_events")) {
				return post ? batchEvents(appId, request) : notAllowed(request);
			}
			if (first.equals("channels") && segments.length <= 6) {
				if (!get) {
					return notAllowed(request);
				}
				if (segments.length == 4) {
					return channels(appId, request);
				}
				String channel = decodeSegment(segments[4]);
				if (segments.length == 5) {
					return channel(appId, channel, request);
				}
				if (segments[5].equals("users")) {
					return users(appId, channel, request);
				}
			}
			if (first.equals("users") && segments.length == 6 && segments[5].equals("terminate_connections")) {
				return post ? terminateConnections(appId, decodeSegment(segments[4]), request) : notAllowed(request);
			}
			throw new HttpApiException(404, "No HTTP API endpoint at " + request.path());
		}
		catch (HttpApiException ex) {
			return refused(ex);
		}
	}

	/**
	 * Answer a refused request.
	 * @param ex why it was refused
	 * @return the status with the message as plain text
	 */
	public Answer refused(HttpApiException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP API request refused with " + ex.status() + ": " + ex.getMessage());
		}
		return new Answer(ex.status(), TEXT_PLAIN, ex.getMessage() + "\n");
	}

	/**
	 * Refuse a multipart body before any of it is read: no Pusher SDK sends one, and the
	 * port that does not go through {@link RequestBodyLimitFilter} would otherwise collect
	 * it up to {@link #maxBodySize()} only to fail on it as JSON.
	 * @param contentType the request's {@code Content-Type}, or {@code null}
	 * @throws HttpApiException (415) for a {@code multipart/*} body
	 */
	public void checkMediaType(@Nullable String contentType) {
		if (BodyRefusals.isMultipart(contentType)) {
			throw new HttpApiException(415, BodyRefusals.multipart("application/json", this.settings.maxBodySize()));
		}
	}

	/**
	 * Refuse a body whose announced length is over the limit, before reading it.
	 * @param contentLength the announced length, or a negative number when unknown
	 * @throws HttpApiException (413) when it is over the limit
	 */
	public void checkContentLength(long contentLength) {
		if (contentLength > this.settings.maxBodySize()) {
			throw bodyTooLarge();
		}
	}

	/**
	 * Refuse a body that turned out larger than the limit while it was read.
	 * @return the refusal (413)
	 */
	public HttpApiException bodyTooLarge() {
		return tooLarge(BodyRefusals.tooLarge(this.settings.maxBodySize()));
	}

	/**
	 * The largest body accepted, in bytes: a whole batch of the largest events.
	 * @return the limit
	 */
	public long maxBodySize() {
		return this.settings.maxBodySize();
	}

	/**
	 * Read a body of at most {@link #maxBodySize()} bytes.
	 * @param contentLength the announced length, or a negative number when unknown
	 * @param in the body
	 * @return its bytes
	 * @throws IOException if the body cannot be read
	 * @throws HttpApiException (413) when it is over the limit
	 */
	public byte[] readBody(long contentLength, InputStream in) throws IOException {
		checkContentLength(contentLength);
		long limit = this.settings.maxBodySize();
		byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
		if (body.length > limit) {
			throw bodyTooLarge();
		}
		return body;
	}

	private static Answer notAllowed(Request request) {
		throw new HttpApiException(405, "Method " + request.method() + " is not allowed at " + request.path());
	}

	private static String decodeSegment(String segment) {
		try {
			return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw HttpApiException.badRequest("Malformed path");
		}
	}

	private JsonNode readSignedJson(App app, Request request) {
		byte[] body = request.body();
		this.verifier.verify(app, request.method(), request.path(), query(request.query()), body);
		try {
			JsonNode json = this.jsonMapper.readTree(body);
			if (json != null && json.isObject()) {
				return json;
			}
		}
		catch (JacksonException ex) {
			throw HttpApiException.badRequest("Body is not valid JSON: " + ex.getOriginalMessage());
		}
		throw HttpApiException.badRequest("Body must be a JSON object");
	}

	private Map<String, String> verified(App app, Request request) {
		Map<String, String> params = query(request.query());
		this.verifier.verify(app, request.method(), request.path(), params, new byte[0]);
		return params;
	}

	private App app(String appId) {
		App app = this.apps.findById(appId);
		if (app == null) {
			throw new HttpApiException(404, "Unknown app " + appId);
		}
		if (!app.settings().enabled()) {
			throw new HttpApiException(403, "App " + appId + " is disabled");
		}
		return app;
	}

	/** The app's hub, asked for only once the request is verified. */
	private AppHub hub(App app) {
		AppHub hub = this.hubs.forApp(app);
		if (hub == null) {
			throw new HttpApiException(503, "This node serves as many apps as it may");
		}
		return hub;
	}

	private PendingEvent parseEvent(JsonNode node, boolean allowChannels, App app) {
		if (node == null || !node.isObject()) {
			throw HttpApiException.badRequest("An event must be a JSON object");
		}
		String name = text(node, "name");
		if (name == null || name.isEmpty() || name.length() > Realtime.MAX_EVENT_NAME_LENGTH) {
			throw HttpApiException.badRequest(
					"name must be a string of 1 to " + Realtime.MAX_EVENT_NAME_LENGTH + " characters");
		}
		JsonNode data = node.get("data");
		if (data == null || !data.isString()) {
			throw HttpApiException.badRequest("data must be a string (the event's serialized data)");
		}
		String payload = data.stringValue();
		int size = payload.getBytes(StandardCharsets.UTF_8).length;
		int maxPayloadSize = app.settings().maxPayloadSize(this.settings.maxPayloadSize());
		if (size > maxPayloadSize) {
			throw tooLarge("Event data is " + size + " bytes, at most " + maxPayloadSize + " allowed");
		}
		List<String> channels = channels(node, allowChannels);
		for (String channel : channels) {
			if (ChannelType.classify(channel) != ChannelType.SERVER_TO_USER) {
				validateChannel(channel);
			}
			else if (channel.length() == ChannelType.SERVER_TO_USER.prefix().length()) {
				throw HttpApiException.badRequest("Invalid channel " + channel + ": no user id");
			}
		}
		if (channels.size() > 1 && channels.stream().anyMatch((channel) -> ChannelType.classify(channel).isEncrypted())) {
			// Each encrypted channel has its own key, so one data cannot suit several channels;
			// the Pusher SDKs refuse this before sending, with these words.
			throw HttpApiException.badRequest("You cannot trigger to multiple channels when using encrypted channels");
		}
		JsonNode socketIdNode = node.get("socket_id");
		String socketId = null;
		if (socketIdNode != null && !socketIdNode.isNull()) {
			if (!socketIdNode.isString() || !SOCKET_ID.matcher(socketIdNode.stringValue()).matches()) {
				throw HttpApiException.badRequest("socket_id must look like 123.456");
			}
			socketId = socketIdNode.stringValue();
		}
		Set<String> info = info(text(node, "info"));
		if (info.contains(USER_COUNT)) {
			for (String channel : channels) {
				if (!ChannelType.classify(channel).isPresence()) {
					throw HttpApiException.badRequest("info=user_count is only available for presence channels, not "
							+ channel);
				}
			}
		}
		return new PendingEvent(name, payload, channels, socketId, info);
	}

	private List<String> channels(JsonNode node, boolean allowChannels) {
		JsonNode channel = node.get("channel");
		JsonNode channels = allowChannels ? node.get("channels") : null;
		if (channel != null && channels != null) {
			throw HttpApiException.badRequest("Give either channel or channels, not both");
		}
		if (channel != null) {
			if (!channel.isString()) {
				throw HttpApiException.badRequest("channel must be a string");
			}
			return List.of(channel.stringValue());
		}
		if (channels == null) {
			throw HttpApiException.badRequest(allowChannels ? "channel or channels is required" : "channel is required");
		}
		if (!channels.isArray() || channels.isEmpty()) {
			throw HttpApiException.badRequest("channels must be a non-empty array of channel names");
		}
		if (channels.size() > this.settings.maxChannelsPerEvent()) {
			throw HttpApiException.badRequest("Too many channels: " + channels.size() + ", at most "
					+ this.settings.maxChannelsPerEvent() + " per event");
		}
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode name : channels) {
			if (!name.isString()) {
				throw HttpApiException.badRequest("channels must contain only strings");
			}
			names.add(name.stringValue());
		}
		return List.copyOf(names);
	}

	private void publish(AppHub hub, PendingEvent event) {
		Realtime realtime = hub.realtime();
		List<String> channels = new ArrayList<>();
		for (String channel : event.channels()) {
			if (ChannelType.classify(channel) == ChannelType.SERVER_TO_USER) {
				// The Pusher SDKs' sendToUser publishes to the user's channel.
				realtime.sendToUser(channel.substring(ChannelType.SERVER_TO_USER.prefix().length()), event.name(),
						event.data());
			}
			else {
				channels.add(channel);
			}
		}
		if (!channels.isEmpty()) {
			// The SDKs encrypt events to encrypted channels before sending them.
			realtime.publishRaw(channels, event.name(), event.data(), event.socketId());
		}
	}

	private ObjectNode channelInfo(AppHub hub, String channel, Set<String> info) {
		ChannelStats stats = hub.stats();
		ObjectNode attributes = this.jsonMapper.createObjectNode();
		if (info.contains(SUBSCRIPTION_COUNT)) {
			attributes.put(SUBSCRIPTION_COUNT, clusterState(() -> stats.subscriptionCount(channel)));
		}
		if (info.contains(USER_COUNT) && ChannelType.classify(channel).isPresence()) {
			attributes.put(USER_COUNT, clusterState(() -> stats.users(channel)).size());
		}
		return attributes;
	}

	private static Set<String> info(@Nullable String info) {
		Set<String> attributes = new LinkedHashSet<>();
		if (info == null || info.isBlank()) {
			return attributes;
		}
		for (String attribute : info.split(",")) {
			String trimmed = attribute.trim();
			if (!trimmed.equals(USER_COUNT) && !trimmed.equals(SUBSCRIPTION_COUNT)) {
				throw HttpApiException.badRequest(
						"Unknown info attribute " + trimmed + ": use user_count and/or subscription_count");
			}
			attributes.add(trimmed);
		}
		return attributes;
	}

	private static void validateChannel(String channel) {
		try {
			ChannelNames.validate(channel);
		}
		catch (InvalidChannelException ex) {
			throw HttpApiException.badRequest(ex.getMessage());
		}
	}

	private static <T> T clusterState(Supplier<T> query) {
		try {
			return query.get();
		}
		catch (IllegalStateException ex) {
			throw new HttpApiException(503, "Channel state is unavailable: " + ex.getMessage());
		}
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/**
	 * The query parameters, decoded; never the form body. A key given twice, in any case,
	 * is refused: the signature covers lowercased keys, so {@code info} and {@code INFO}
	 * would let a request carry a value the signature does not cover.
	 */
	private static Map<String, String> query(@Nullable String query) {
		Map<String, String> params = new LinkedHashMap<>();
		if (query == null || query.isEmpty()) {
			return params;
		}
		Set<String> keys = new HashSet<>();
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String key = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			if (!keys.add(key.toLowerCase(Locale.ROOT))) {
				throw HttpApiException.badRequest("Duplicate query parameter " + key.toLowerCase(Locale.ROOT)
						+ ": give each parameter once");
			}
			params.put(key, value);
		}
		return params;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw HttpApiException.badRequest("Malformed query string");
		}
	}

	private static HttpApiException tooLarge(String message) {
		return new HttpApiException(413, message);
	}

	private Answer json(ObjectNode body) {
		return new Answer(200, APPLICATION_JSON, this.jsonMapper.writeValueAsString(body));
	}

	/**
	 * A request as its client signed it.
	 * @param method the HTTP method, such as {@code POST}
	 * @param path the path the client signed (without a servlet context path)
	 * @param query the raw query string, or {@code null}
	 * @param body the body, empty without one
	 */
	public record Request(String method, String path, @Nullable String query, byte[] body) {
	}

	/**
	 * An answer.
	 * @param status the HTTP status
	 * @param contentType {@code application/json}, or {@code text/plain} for a refusal
	 * @param body the body
	 */
	public record Answer(int status, String contentType, String body) {
	}

	private record PendingEvent(String name, String data, List<String> channels, @Nullable String socketId,
			Set<String> info) {
	}

}
