package dev.realtime.redis;

/**
 * The names of every key and pub/sub channel of one key prefix, laid out for Redis
 * Cluster on every topology: what one Lua script touches shares a hash tag, so it lives in
 * one slot. A channel's presence keys and its pub/sub channel are tagged with the channel
 * name ({@code p:presence:{ch}:members}, {@code p:channel:{ch}}), a node's keys with the
 * node id ({@code p:node:{node}:subs}), and the node registry with {@code {nodes}}.
 * <p>
 * A channel name holding a {@code }} ends its tag early, the same way in each of its
 * keys, so they still share a slot.
 */
final class RedisKeys {

	private final String prefix;

	private final String channelPrefix;

	RedisKeys(String prefix) {
		this.prefix = prefix;
		this.channelPrefix = prefix + ":channel:{";
	}

	/** Sorted set: live node id to the Redis time (ms) its registration expires. */
	String nodes() {
		return this.prefix + ":{nodes}";
	}

	/** Sorted set: node being reaped to the Redis time (ms) the reaper's claim lapses. */
	String reaping() {
		return this.prefix + ":{nodes}:reaping";
	}

	/** Set: the presence channels a node has (or recently had) entries in. */
	String nodePresence(String node) {
		return this.prefix + ":node:{" + node + "}:presence";
	}

	/** Hash: channel to the node's subscription count. */
	String nodeSubscriptions(String node) {
		return this.prefix + ":node:{" + node + "}:subs";
	}

	/** Hash: app id to the node's connections. */
	String nodeConnections(String node) {
		return this.prefix + ":node:{" + node + "}:conns";
	}

	/**
	 * The common start of a presence channel's keys ({@code :members}, {@code :users},
	 * {@code :node:{node}} follow), passed to the scripts as their key so Redis Cluster
	 * routes them to the channel's slot.
	 */
	String presence(String channel) {
		return this.prefix + ":presence:{" + channel + "}";
	}

	/** Hash: user id to user info, the channel's roster across the cluster. */
	String members(String channel) {
		return presence(channel) + ":members";
	}

	/** The pub/sub channel carrying a channel's events. */
	String channel(String channel) {
		return this.channelPrefix + channel + "}";
	}

	/** What {@link #channel(String)} puts before the channel name. */
	String channelPrefix() {
		return this.channelPrefix;
	}

}
