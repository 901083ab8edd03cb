package dev.realtime;

/**
 * The kind of a channel, decided by its name's prefix as the Pusher protocol does.
 */
public enum ChannelType {

	/** No prefix: anyone may subscribe. */
	PUBLIC("", false),

	/** {@code private-}: subscribing needs authorization. */
	PRIVATE("private-", false),

	/** {@code private-encrypted-}: private, payloads end-to-end encrypted by the clients. */
	PRIVATE_ENCRYPTED("private-encrypted-", false),

	/** {@code presence-}: private, and subscribers see who else is there. */
	PRESENCE("presence-", false),

	/** {@code cache-}: public, the last event is replayed to new subscribers. */
	CACHE("cache-", true),

	/** {@code private-cache-}. */
	PRIVATE_CACHE("private-cache-", true),

	/** {@code private-encrypted-cache-}. */
	PRIVATE_ENCRYPTED_CACHE("private-encrypted-cache-", true),

	/** {@code presence-cache-}. */
	PRESENCE_CACHE("presence-cache-", true),

	/** {@code #server-to-user-{id}}: only the server subscribes a signed-in connection here. */
	SERVER_TO_USER("#server-to-user-", false),

	/**
	 * {@code #user-online-{id}}: an internal presence channel whose one possible member is
	 * the signed-in user {@code id}, joined by each of the user's connections; the other
	 * subscribers are the connections watching the user (see {@link Hub#watch}), told when
	 * the user comes online or goes offline.
	 */
	USER_ONLINE("#user-online-", false);

	/** Longest prefixes first, so {@code private-encrypted-cache-} wins over {@code private-}. */
	private static final ChannelType[] BY_PREFIX_LENGTH = { PRIVATE_ENCRYPTED_CACHE, PRIVATE_ENCRYPTED, SERVER_TO_USER, USER_ONLINE,
			PRESENCE_CACHE, PRIVATE_CACHE, PRESENCE, PRIVATE, CACHE };

	private final String prefix;

	private final boolean cache;

	ChannelType(String prefix, boolean cache) {
		this.prefix = prefix;
		this.cache = cache;
	}

	/**
	 * The type a channel name has.
	 * @param channel the channel name
	 * @return its type, {@link #PUBLIC} when no prefix matches
	 */
	public static ChannelType classify(String channel) {
		for (ChannelType type : BY_PREFIX_LENGTH) {
			if (channel.startsWith(type.prefix)) {
				return type;
			}
		}
		return PUBLIC;
	}

	/**
	 * The name prefix of this type.
	 * @return the prefix, empty for public channels
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * Whether joining needs the application's authorization.
	 * @return {@code true} for private, encrypted and presence channels (cached or not)
	 */
	public boolean requiresAuthorization() {
		return this != PUBLIC && this != CACHE && !isInternal();
	}

	/**
	 * Whether subscribers form a presence roster.
	 * @return {@code true} for presence channels (cached or not) and
	 * {@link #USER_ONLINE}
	 */
	public boolean isPresence() {
		return this == PRESENCE || this == PRESENCE_CACHE || this == USER_ONLINE;
	}

	/**
	 * Whether the payloads are end-to-end encrypted (the server needs a shared secret).
	 * @return {@code true} for encrypted channels (cached or not)
	 */
	public boolean isEncrypted() {
		return this == PRIVATE_ENCRYPTED || this == PRIVATE_ENCRYPTED_CACHE;
	}

	/**
	 * Whether the last event is kept and replayed to new subscribers.
	 * @return {@code true} for the {@code cache-} variants
	 */
	public boolean isCache() {
		return this.cache;
	}

	/**
	 * Whether a client may ask to join a channel of this type (server-to-user channels are
	 * joined by the server on sign-in).
	 * @return {@code false} for the {@linkplain #isInternal() internal} types
	 */
	public boolean isClientSubscribable() {
		return !isInternal();
	}

	/**
	 * Whether the server alone joins connections to channels of this type, on sign-in: such
	 * channels are left out of channel listings, counts, webhooks and presence events.
	 * @return {@code true} for {@link #SERVER_TO_USER} and {@link #USER_ONLINE}
	 */
	public boolean isInternal() {
		return this == SERVER_TO_USER || this == USER_ONLINE;
	}

}
