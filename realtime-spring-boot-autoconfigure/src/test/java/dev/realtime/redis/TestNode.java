package dev.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

import dev.realtime.ChannelFrames;
import dev.realtime.ChannelStats;
import dev.realtime.Client;
import dev.realtime.CloseReason;
import dev.realtime.Frame;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * One node of a test cluster, in this JVM: a hub with the Redis broadcaster, presence and
 * stats, wired as the auto-configuration does, with frames as plain text:
 * {@code event|channel|name|payload} and {@code subscribed|channel|user ids, sorted}.
 */
final class TestNode implements AutoCloseable {

	static final ChannelFrames FRAMES = new ChannelFrames() {

		@Override
		public Frame subscribed(String channel, @Nullable Collection<Member> roster) {
			String ids = (roster != null) ? roster.stream().map(Member::id).sorted().collect(Collectors.joining(","))
					: "";
			return Frame.text("subscribed|" + channel + "|" + ids);
		}

		@Override
		public Frame memberAdded(String channel, Member member) {
			return encode(new Event(channel, "pusher_internal:member_added",
					"{\"user_id\":\"" + member.id() + "\",\"user_info\":" + member.info() + "}"));
		}

		@Override
		public Frame memberRemoved(String channel, Member member) {
			return encode(
					new Event(channel, "pusher_internal:member_removed", "{\"user_id\":\"" + member.id() + "\"}"));
		}

	};

	final String name;

	final RedisClusterConfig config;

	final RedisConnections connections;

	final RedisBroadcaster broadcaster;

	final RedisPresence presence;

	final Hub hub;

	final RedisChannelStats stats;

	TestNode(String redisUri, String prefix, String name, Duration nodeTtl) {
		this(redisUri, prefix, name, nodeTtl, HubConfig.DEFAULT_MAX_PRESENCE_MEMBERS);
	}

	TestNode(String redisUri, String prefix, String name, Duration nodeTtl, int maxPresenceMembers) {
		this.name = name;
		this.config = RedisClusterConfig.builder()
			.keyPrefix(prefix)
			.nodeId(name)
			.nodeTtl(nodeTtl)
			.statsInterval(Duration.ofMillis(100))
			.build();
		this.connections = TestRedis.connections(redisUri, this.config, prefix + "-" + name);
		this.broadcaster = new RedisBroadcaster(this.connections);
		this.presence = new RedisPresence(this.connections, this.broadcaster);
		this.hub = new Hub(HubConfig.builder()
			.channelFrames(FRAMES)
			.presenceDirectory(this.presence)
			.outboxCapacity(4096)
			.maxPresenceMembers(maxPresenceMembers)
			.build());
		this.hub.onChannelLifecycle(this.broadcaster);
		this.broadcaster.subscribeAll((event) -> this.hub.broadcastExcept(event.channel(), encode(event),
				event.exceptSocketId()));
		this.broadcaster.setUserTerminator((userId) -> this.hub.disconnectUser(userId, CloseReason.TERMINATED));
		this.stats = new RedisChannelStats(this.connections, ChannelStats.of(this.hub));
		this.connections.start();
	}

	static Frame encode(Event event) {
		return Frame.text("event|" + event.channel() + "|" + event.name() + "|" + event.payload());
	}

	/** A new connection on this node. */
	Client connect(RecordingConn conn) {
		return this.hub.add(conn);
	}

	/** A connection joined to a presence channel as a user. */
	Client joinPresence(RecordingConn conn, String channel, String userId) {
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, channel, new Member(userId, "{\"name\":\"" + userId + "\"}"));
		return client;
	}

	/**
	 * Stop receiving a channel from Redis behind the broadcaster's back, as a failover
	 * takes a node's subscription away: what others announce meanwhile passes it by.
	 */
	void loseSubscription(String channel) {
		byte[] redisChannel = new RedisKeys(this.config.keyPrefix()).channel(channel)
			.getBytes(StandardCharsets.UTF_8);
		if (this.connections.isCluster()) {
			this.connections.pubSub().sync().sunsubscribe(redisChannel);
		}
		else {
			this.connections.pubSub().sync().unsubscribe(redisChannel);
		}
	}

	/** Die without any shutdown work: no leaves, no goodbye to Redis, heartbeats stop. */
	void kill() {
		this.stats.close();
		this.connections.close();
		this.broadcaster.close();
		this.hub.close();
	}

	@Override
	public void close() {
		this.stats.close();
		if (!this.hub.isClosed()) {
			this.hub.close();
		}
		this.presence.close();
		this.broadcaster.close();
		this.connections.close();
	}

}
