package dev.realtime.pusher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.realtime.ChannelNames;
import dev.realtime.ChannelType;
import dev.realtime.Client;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.InvalidChannelException;
import dev.realtime.Joined;
import dev.realtime.Member;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Handles the messages a connection sends, matching on the event name: ping, subscribe,
 * unsubscribe, sign-in and client events. Independent of the transport.
 * <p>
 * Errors are thrown as {@link PusherException}s for the caller to send; nothing a
 * connection sends can affect another connection beyond what the protocol allows (a
 * client event to the channel's members).
 */
public final class PusherEventHandler {

	private final Hub hub;

	private final Broadcaster broadcaster;

	private final JsonMapper jsonMapper;

	private final ProtocolSettings settings;

	private final ProtocolStats stats;

	private final CacheChannels cacheChannels;

	private final ConnectionLifecycleListener lifecycle;

	/**
	 * Create a handler.
	 * @param hub the hub
	 * @param broadcaster where client events are published (to reach every node)
	 * @param jsonMapper parses messages
	 * @param settings limits
	 * @param stats counters
	 * @param cacheChannels replays the last event of cache channels to new subscribers
	 */
	public PusherEventHandler(Hub hub, Broadcaster broadcaster, JsonMapper jsonMapper, ProtocolSettings settings,
			ProtocolStats stats, CacheChannels cacheChannels) {
		this(hub, broadcaster, jsonMapper, settings, stats, cacheChannels, ConnectionLifecycleListener.NONE);
	}

	/**
	 * Create a handler that tells a listener about subscriptions, sign-ins and client
	 * events.
	 * @param hub the hub
	 * @param broadcaster where client events are published (to reach every node)
	 * @param jsonMapper parses messages
	 * @param settings limits
	 * @param stats counters
	 * @param cacheChannels replays the last event of cache channels to new subscribers
	 * @param lifecycle told what the connections did
	 */
	public PusherEventHandler(Hub hub, Broadcaster broadcaster, JsonMapper jsonMapper, ProtocolSettings settings,
			ProtocolStats stats, CacheChannels cacheChannels, ConnectionLifecycleListener lifecycle) {
		this.lifecycle = lifecycle;
		this.hub = hub;
		this.broadcaster = broadcaster;
		this.jsonMapper = jsonMapper;
		this.settings = settings;
		this.stats = stats;
		this.cacheChannels = cacheChannels;
	}

	/**
	 * Handle one text message.
	 * @param connection the sender
	 * @param text the message
	 * @throws PusherException to be told to the client
	 */
	public void handle(PusherConnection connection, String text) {
		if (text.length() > this.settings.maxMessageSize()) {
			throw new InvalidMessageException(
					"Message too large: at most " + this.settings.maxMessageSize() + " characters allowed");
		}
		JsonNode message = parse(text);
		JsonNode eventNode = message.get("event");
		if (eventNode == null || !eventNode.isString()) {
			throw new InvalidMessageException("Invalid message format: no event name");
		}
		String event = eventNode.stringValue();
		switch (event) {
			case PusherEvents.PING -> this.hub.sendTo(connection.socketId(), PusherFrames.pong());
			case PusherEvents.PONG -> {
				// Any message counts as activity; the transport has recorded it already.
			}
			case PusherEvents.SUBSCRIBE -> subscribe(connection, data(message));
			case PusherEvents.UNSUBSCRIBE -> unsubscribe(connection, data(message));
			case PusherEvents.SIGNIN -> signin(connection, data(message));
			default -> {
				if (event.startsWith(PusherEvents.CLIENT_EVENT_PREFIX)) {
					clientEvent(connection, event, message);
				}
				else {
					throw new UnsupportedEventException(event);
				}
			}
		}
	}

	private void subscribe(PusherConnection connection, JsonNode data) {
		String channel = requiredString(data, "channel", PusherEvents.SUBSCRIBE);
		Client client = connection.client();
		ChannelType type = ChannelType.classify(channel);
		if (type == ChannelType.SERVER_TO_USER) {
			// pusher-js subscribes to its own user channel after signin: answer like any channel.
			try {
				this.hub.subscribe(client, channel);
			}
			catch (InvalidChannelException ex) {
				this.stats.authDenied();
				throw new SubscriptionErrorException(channel, SubscriptionErrorException.AUTH_ERROR, 403,
						"Only the signed-in user's connections join " + channel);
			}
			return;
		}
		try {
			ChannelNames.validate(channel);
		}
		catch (InvalidChannelException ex) {
			throw new SubscriptionErrorException(channel, SubscriptionErrorException.INVALID_CHANNEL, 400,
					ex.getMessage());
		}
		Member member = null;
		if (type.requiresAuthorization()) {
			String channelData = type.isPresence() ? optionalString(data, "channel_data") : null;
			if (type.isPresence() && channelData == null) {
				throw new SubscriptionErrorException(channel, SubscriptionErrorException.AUTH_ERROR, 400,
						"Presence channels need channel_data");
			}
			String auth = optionalString(data, "auth");
			String signed = PusherSignatures.channelString(connection.socketId(), channel, channelData);
			if (!PusherSignatures.verify(connection.app(), auth, signed)) {
				this.stats.authDenied();
				throw new SubscriptionErrorException(channel, SubscriptionErrorException.AUTH_ERROR, 401,
						"Invalid signature for " + channel);
			}
			if (channelData != null) {
				member = member(channel, channelData);
			}
		}
		if (client.channelCount() >= connection.maxChannels() && !client.isSubscribed(channel)) {
			throw new SubscriptionErrorException(channel, SubscriptionErrorException.LIMIT_REACHED, 403,
					"A connection may be subscribed to at most " + connection.maxChannels() + " channels");
		}
		Joined joined = this.hub.subscribe(client, channel, member);
		if (joined == Joined.PRESENCE_FULL) {
			throw new SubscriptionErrorException(channel, SubscriptionErrorException.LIMIT_REACHED, 403,
					"Presence channel " + channel + " has as many members as allowed");
		}
		if (type.requiresAuthorization()) {
			connection.authorized();
		}
		if (joined == Joined.SUBSCRIBED && type.isCache()) {
			Frame replay = this.cacheChannels.replay(channel);
			if (replay != null) {
				this.hub.sendTo(client.id(), replay);
			}
		}
		if (joined == Joined.SUBSCRIBED) {
			this.lifecycle.subscribed(connection, channel, (member != null) ? member.id() : null);
		}
	}

	private Member member(String channel, String channelData) {
		JsonNode data;
		try {
			data = this.jsonMapper.readTree(channelData);
		}
		catch (JacksonException ex) {
			data = null;
		}
		if (data == null || !data.isObject()) {
			throw invalidChannelData(channel, "channel_data is not a JSON object");
		}
		JsonNode userId = data.get("user_id");
		if (userId == null || !(userId.isString() || userId.isIntegralNumber())) {
			throw invalidChannelData(channel, "channel_data needs a user_id string or integer");
		}
		String id = userId.asString();
		if (id.isEmpty() || id.length() > ProtocolSettings.MAX_USER_ID_LENGTH) {
			throw invalidChannelData(channel,
					"user_id must have 1 to " + ProtocolSettings.MAX_USER_ID_LENGTH + " characters");
		}
		JsonNode userInfo = data.get("user_info");
		String info = (userInfo != null) ? this.jsonMapper.writeValueAsString(userInfo) : "null";
		if (info.getBytes(StandardCharsets.UTF_8).length > this.settings.maxUserInfoSize()) {
			throw invalidChannelData(channel,
					"user_info is larger than " + this.settings.maxUserInfoSize() + " bytes");
		}
		return new Member(id, info);
	}

	private static SubscriptionErrorException invalidChannelData(String channel, String message) {
		return new SubscriptionErrorException(channel, SubscriptionErrorException.INVALID_CHANNEL, 400, message);
	}

	private void unsubscribe(PusherConnection connection, JsonNode data) {
		String channel = requiredString(data, "channel", PusherEvents.UNSUBSCRIBE);
		if (this.hub.unsubscribe(connection.client(), channel)) {
			this.lifecycle.unsubscribed(connection, channel);
		}
	}

	private void signin(PusherConnection connection, JsonNode data) {
		String auth = optionalString(data, "auth");
		String userData = optionalString(data, "user_data");
		if (userData == null
				|| !PusherSignatures.verify(connection.app(), auth,
						PusherSignatures.userString(connection.socketId(), userData))) {
			this.stats.authDenied();
			throw new SigninFailedException("Invalid signature for pusher:signin");
		}
		JsonNode user;
		try {
			user = this.jsonMapper.readTree(userData);
		}
		catch (JacksonException ex) {
			user = null;
		}
		JsonNode id = (user != null && user.isObject()) ? user.get("id") : null;
		// pusher-js itself accepts only a non-empty string id.
		if (id == null || !id.isString() || id.stringValue().isEmpty()
				|| id.stringValue().length() > ProtocolSettings.MAX_USER_ID_LENGTH) {
			throw new SigninFailedException("user_data needs an id string of 1 to "
					+ ProtocolSettings.MAX_USER_ID_LENGTH + " characters");
		}
		List<String> watchlist = watchlist(user.get("watchlist"));
		Client client = connection.client();
		String current = client.userId();
		if (current != null && !current.equals(id.stringValue())) {
			throw new SigninFailedException("The connection is signed in as another user");
		}
		// Confirmed by the hub under the sign-in itself: before it, events to the user would
		// reach a client that does not know its user channel yet; after it, a client (or its
		// back end) acting on the confirmation could find the connection not yet the user's.
		this.hub.signIn(client, id.stringValue(), PusherFrames.signinSuccess(userData));
		if (this.settings.watchlists()) {
			this.hub.goOnline(client);
			this.hub.watch(client, watchlist);
		}
		connection.authorized();
		this.lifecycle.signedIn(connection, id.stringValue());
	}

	private static List<String> watchlist(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray() || node.size() > ProtocolSettings.MAX_WATCHLIST_SIZE) {
			throw new SigninFailedException("user_data watchlist must be an array of at most "
					+ ProtocolSettings.MAX_WATCHLIST_SIZE + " user ids");
		}
		List<String> userIds = new ArrayList<>(node.size());
		for (JsonNode userId : node) {
			if (!userId.isString() || userId.stringValue().isEmpty()
					|| userId.stringValue().length() > ProtocolSettings.MAX_USER_ID_LENGTH) {
				throw new SigninFailedException("user_data watchlist entries must be user id strings of 1 to "
						+ ProtocolSettings.MAX_USER_ID_LENGTH + " characters");
			}
			userIds.add(userId.stringValue());
		}
		return userIds;
	}

	private void clientEvent(PusherConnection connection, String event, JsonNode message) {
		if (!this.settings.clientEventsEnabled()) {
			throw rejected("Client events are disabled");
		}
		if (event.length() > ProtocolSettings.MAX_EVENT_NAME_LENGTH) {
			throw rejected("Event name longer than " + ProtocolSettings.MAX_EVENT_NAME_LENGTH + " characters");
		}
		JsonNode channelNode = message.get("channel");
		if (channelNode == null || !channelNode.isString()) {
			throw rejected("Client events need a channel");
		}
		String channel = channelNode.stringValue();
		ChannelType type = ChannelType.classify(channel);
		if (!type.requiresAuthorization() || type.isEncrypted()) {
			throw rejected("Client events are only allowed on private and presence channels");
		}
		Client client = connection.client();
		if (!client.isSubscribed(channel)) {
			throw rejected("Subscribe to " + channel + " before sending client events to it");
		}
		if (!connection.clientEvents().tryAcquire(System.nanoTime())) {
			this.stats.clientEventRejected();
			throw new RateLimitExceededException(this.settings.clientEventRateLimit());
		}
		JsonNode data = message.get("data");
		String payload = (data == null) ? "null"
				: data.isString() ? data.stringValue() : this.jsonMapper.writeValueAsString(data);
		Member member = type.isPresence() ? client.member(channel) : null;
		try {
			this.broadcaster.publish(new Event(channel, event, payload, client.id(), (member != null) ? member.id() : null));
		}
		catch (IllegalStateException ex) {
			// The broadcaster is closed: the server is shutting down.
			return;
		}
		this.lifecycle.clientEvent(connection, channel, event, payload, (member != null) ? member.id() : null);
	}

	private ClientEventRejectedException rejected(String message) {
		this.stats.clientEventRejected();
		return new ClientEventRejectedException(message);
	}

	private JsonNode parse(String text) {
		try {
			JsonNode message = this.jsonMapper.readTree(text);
			if (message != null && message.isObject()) {
				return message;
			}
		}
		catch (JacksonException ex) {
			// Reported below, without echoing the parser's message.
		}
		throw new InvalidMessageException("Invalid message format: not a JSON object");
	}

	/**
	 * The {@code data} of a client message: an object, or (from some clients) a string
	 * holding one.
	 */
	private JsonNode data(JsonNode message) {
		JsonNode data = message.get("data");
		if (data != null && data.isString()) {
			try {
				data = this.jsonMapper.readTree(data.stringValue());
			}
			catch (JacksonException ex) {
				data = null;
			}
		}
		if (data == null || !data.isObject()) {
			throw new InvalidMessageException("Invalid message format: data must be an object");
		}
		return data;
	}

	private static String requiredString(JsonNode data, String field, String event) {
		String value = optionalString(data, field);
		if (value == null) {
			throw new InvalidMessageException(event + " needs data." + field);
		}
		return value;
	}

	private static @Nullable String optionalString(JsonNode data, String field) {
		JsonNode value = data.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
