package dev.realtime.pusher;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.realtime.ChannelNames;
import dev.realtime.ChannelType;
import dev.realtime.apps.AppNamespace;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What services publish with: events to channels and to signed-in users, reaching every
 * node through the {@link Broadcaster}.
 * <p>
 * The data is serialized once, with the application's {@link JsonMapper}; a
 * {@link String} is sent as it is (as the Pusher server SDKs do), anything else as its
 * JSON. Publishing never blocks: the broadcaster buffers or drops (and counts).
 * <p>
 * With a {@link ChannelCache}, events published to cache channels are also kept there as
 * their channel's last event, for new subscribers.
 * <p>
 * With an {@link EventEncryptor} (there is one when {@code realtime.encryption-master-key}
 * is set and BouncyCastle is on the class path), the data of events to
 * {@code private-encrypted-} channels is encrypted here, per channel, as the Pusher server
 * SDKs do: the caller passes the same data as to any other channel. Without one, such
 * data must be a {@link String} holding the already encrypted
 * {@code {"nonce":..,"ciphertext":..}} (objects are refused rather than sent in clear to
 * clients that could not read them).
 * <p>
 * The facade publishes to one app's channels: the injected one to the default app's,
 * {@link #app(String)} to another app's.
 */
public class Realtime {

	/** Longest event name, as the Pusher HTTP API allows. */
	public static final int MAX_EVENT_NAME_LENGTH = 200;

	private final Broadcaster broadcaster;

	private final JsonMapper jsonMapper;

	private final @Nullable ChannelCache channelCache;

	private final @Nullable Apps apps;

	private final @Nullable EventEncryptor encryptor;

	/**
	 * A facade over a broadcaster.
	 * @param broadcaster carries the events to the hubs
	 * @param jsonMapper serializes the data
	 */
	public Realtime(Broadcaster broadcaster, JsonMapper jsonMapper) {
		this(broadcaster, jsonMapper, null);
	}

	/**
	 * A facade over a broadcaster that keeps the last event of cache channels.
	 * @param broadcaster carries the events to the hubs
	 * @param jsonMapper serializes the data
	 * @param channelCache where the last event of each cache channel is kept, or
	 * {@code null} to keep none
	 */
	public Realtime(Broadcaster broadcaster, JsonMapper jsonMapper, @Nullable ChannelCache channelCache) {
		this(broadcaster, jsonMapper, channelCache, (Apps) null, null);
	}

	/**
	 * A facade over a broadcaster that keeps the last event of cache channels and encrypts
	 * the data of events to encrypted channels.
	 * @param broadcaster carries the events to the hubs
	 * @param jsonMapper serializes the data
	 * @param channelCache where the last event of each cache channel is kept, or
	 * {@code null} to keep none
	 * @param encryptor encrypts the data of events to {@code private-encrypted-} channels,
	 * or {@code null} to accept only data the caller encrypted
	 */
	public Realtime(Broadcaster broadcaster, JsonMapper jsonMapper, @Nullable ChannelCache channelCache,
			@Nullable EventEncryptor encryptor) {
		this(broadcaster, jsonMapper, channelCache, (Apps) null, encryptor);
	}

	/**
	 * The default app's facade, from which {@link #app(String)} reaches the other apps of a
	 * registry.
	 * @param broadcaster carries the events of every app to the hubs
	 * @param jsonMapper serializes the data
	 * @param channelCache where the last event of each cache channel is kept, or
	 * {@code null} to keep none
	 * @param registry the apps
	 */
	public Realtime(Broadcaster broadcaster, JsonMapper jsonMapper, @Nullable ChannelCache channelCache,
			AppRegistry registry) {
		this(broadcaster, jsonMapper, channelCache, registry, null);
	}

	/**
	 * The default app's facade, from which {@link #app(String)} reaches the other apps of a
	 * registry, encrypting the data of events to encrypted channels.
	 * @param broadcaster carries the events of every app to the hubs
	 * @param jsonMapper serializes the data
	 * @param channelCache where the last event of each cache channel is kept, or
	 * {@code null} to keep none
	 * @param registry the apps
	 * @param encryptor encrypts the data of events to {@code private-encrypted-} channels
	 * (of every app), or {@code null} to accept only data the caller encrypted
	 */
	public Realtime(Broadcaster broadcaster, JsonMapper jsonMapper, @Nullable ChannelCache channelCache,
			AppRegistry registry, @Nullable EventEncryptor encryptor) {
		this(broadcaster, jsonMapper, channelCache,
				new Apps(registry, registry.defaultApp().id(), broadcaster, channelCache), encryptor);
	}

	private Realtime(Broadcaster broadcaster, JsonMapper jsonMapper, @Nullable ChannelCache channelCache,
			@Nullable Apps apps, @Nullable EventEncryptor encryptor) {
		this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
		this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
		this.channelCache = channelCache;
		this.apps = apps;
		this.encryptor = encryptor;
	}

	/**
	 * The facade of another app: it publishes to that app's channels and users only.
	 * @param appId the app id
	 * @return the app's facade ({@code this} for this facade's own app)
	 * @throws IllegalArgumentException if no app has that id
	 * @throws IllegalStateException if the facade was built without a registry
	 */
	public Realtime app(String appId) {
		if (this.apps == null) {
			throw new IllegalStateException("This Realtime knows no other apps");
		}
		if (this.apps.registry.findById(appId) == null) {
			throw new IllegalArgumentException("Unknown app " + appId);
		}
		if (appId.equals(this.apps.defaultAppId)) {
			return new Realtime(this.apps.broadcaster, this.jsonMapper, this.apps.channelCache, this.apps,
					this.encryptor);
		}
		AppNamespace namespace = AppNamespace.of(appId);
		return new Realtime(namespace.broadcaster(this.apps.broadcaster), this.jsonMapper,
				(this.apps.channelCache != null) ? namespace.cache(this.apps.channelCache) : null, this.apps,
				this.encryptor);
	}

	/**
	 * Publish an event to every subscriber of a channel.
	 * @param channel the channel
	 * @param event the event name
	 * @param data the data: a string sent as is, or an object serialized to JSON
	 * @throws dev.realtime.InvalidChannelException if the channel name is invalid
	 * @throws IllegalStateException once the server has shut down (the broadcaster is
	 * closed)
	 */
	public void publish(String channel, String event, @Nullable Object data) {
		publishExcept(List.of(channel), event, data, null);
	}

	/**
	 * Publish an event to several channels, serializing the data once.
	 * @param channels the channels
	 * @param event the event name
	 * @param data the data: a string sent as is, or an object serialized to JSON
	 * @throws dev.realtime.InvalidChannelException if a channel name is invalid (nothing is
	 * published then)
	 */
	public void publish(Collection<String> channels, String event, @Nullable Object data) {
		publishExcept(channels, event, data, null);
	}

	/**
	 * Publish an event to every subscriber of a channel but one connection, typically the
	 * one whose request caused the event (Pusher's {@code socket_id} exclusion).
	 * @param channel the channel
	 * @param event the event name
	 * @param data the data: a string sent as is, or an object serialized to JSON
	 * @param exceptSocketId the socket id to skip, or {@code null} for none
	 */
	public void publishExcept(String channel, String event, @Nullable Object data, @Nullable String exceptSocketId) {
		publishExcept(List.of(channel), event, data, exceptSocketId);
	}

	/**
	 * Publish an event to several channels but not to one connection.
	 * @param channels the channels
	 * @param event the event name
	 * @param data the data: a string sent as is, or an object serialized to JSON
	 * @param exceptSocketId the socket id to skip, or {@code null} for none
	 */
	public void publishExcept(Collection<String> channels, String event, @Nullable Object data,
			@Nullable String exceptSocketId) {
		validateEventName(event);
		EventEncryptor encryptor = this.encryptor;
		for (String channel : channels) {
			if (ChannelNames.validate(channel).isEncrypted() && encryptor == null && !(data instanceof String)) {
				throw new IllegalArgumentException("Events to " + channel + " must be encrypted: set "
						+ "realtime.encryption-master-key and put org.bouncycastle:bcprov-jdk18on on the class path "
						+ "to have the server encrypt them, or pass data already encrypted as a String");
			}
		}
		String payload = serialize(data);
		for (String channel : channels) {
			boolean encrypt = encryptor != null && ChannelType.classify(channel).isEncrypted();
			publish(new Event(channel, event, encrypt ? encryptor.encrypt(channel, payload) : payload, exceptSocketId));
		}
	}

	/**
	 * Publish data exactly as given, never encrypted: for data that is already in its final
	 * form, as the HTTP API receives it from the Pusher server SDKs (which encrypt events to
	 * encrypted channels themselves).
	 * @param channels the channels
	 * @param event the event name
	 * @param data the serialized data, encrypted by the caller for encrypted channels
	 * @param exceptSocketId the socket id to skip, or {@code null} for none
	 * @throws dev.realtime.InvalidChannelException if a channel name is invalid (nothing is
	 * published then)
	 */
	public void publishRaw(Collection<String> channels, String event, String data, @Nullable String exceptSocketId) {
		validateEventName(event);
		Objects.requireNonNull(data, "data");
		channels.forEach(ChannelNames::validate);
		for (String channel : channels) {
			publish(new Event(channel, event, data, exceptSocketId));
		}
	}

	private void publish(Event published) {
		if (this.channelCache != null && ChannelType.classify(published.channel()).isCache()) {
			this.channelCache.put(published);
		}
		this.broadcaster.publish(published);
	}

	/**
	 * Send an event to every connection of a user signed in with {@code pusher.signin()}, on
	 * every node. The client receives it through {@code pusher.user.bind(event, ...)}.
	 * @param userId the user id
	 * @param event the event name
	 * @param data the data: a string sent as is, or an object serialized to JSON
	 */
	public void sendToUser(String userId, String event, @Nullable Object data) {
		Objects.requireNonNull(userId, "userId");
		if (userId.isEmpty()) {
			throw new IllegalArgumentException("userId must not be empty");
		}
		validateEventName(event);
		this.broadcaster.publish(new Event(ChannelNames.serverToUser(userId), event, serialize(data)));
	}

	/** What {@link #app(String)} builds other apps' facades from. */
	private record Apps(AppRegistry registry, String defaultAppId, Broadcaster broadcaster,
			@Nullable ChannelCache channelCache) {
	}

	private String serialize(@Nullable Object data) {
		if (data instanceof String text) {
			return text;
		}
		return this.jsonMapper.writeValueAsString(data);
	}

	private static void validateEventName(String event) {
		Objects.requireNonNull(event, "event");
		if (event.isEmpty() || event.length() > MAX_EVENT_NAME_LENGTH) {
			throw new IllegalArgumentException(
					"Event names have 1 to " + MAX_EVENT_NAME_LENGTH + " characters, got " + event.length());
		}
	}

}
