package dev.realtime.nats;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
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
 * One node of a test cluster, in this JVM: a hub with the NATS broadcaster, presence and
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

	final NatsConnection connection;

	final NatsBroadcaster broadcaster;

	final NatsPresence presence;

	final Hub hub;

	final NatsChannelStats stats;

	TestNode(String url, String prefix, String name, Duration nodeTtl) {
		this.name = name;
		NatsEngineConfig config = NatsEngineConfig.builder()
			.servers(List.of(url))
			.prefix(prefix)
			.nodeId(name)
			.nodeTtl(nodeTtl)
			.statsInterval(Duration.ofMillis(100))
			.build();
		this.connection = new NatsConnection(config);
		this.broadcaster = new NatsBroadcaster(this.connection, null);
		this.presence = new NatsPresence(this.connection, this.broadcaster);
		this.hub = new Hub(HubConfig.builder()
			.channelFrames(FRAMES)
			.presenceDirectory(this.presence)
			.outboxCapacity(4096)
			.build());
		this.hub.onChannelLifecycle(this.broadcaster);
		this.broadcaster.subscribeAll((event) -> this.hub.broadcastExcept(event.channel(), encode(event),
				event.exceptSocketId()));
		this.broadcaster.setUserTerminator((userId) -> this.hub.disconnectUser(userId, CloseReason.TERMINATED));
		this.stats = new NatsChannelStats(this.connection, ChannelStats.of(this.hub), this.presence);
		this.connection.start();
	}

	static Frame encode(Event event) {
		return Frame.text("event|" + event.channel() + "|" + event.name() + "|" + event.payload());
	}

	Client connect(RecordingConn conn) {
		return this.hub.add(conn);
	}

	Client joinPresence(RecordingConn conn, String channel, String userId) {
		Client client = this.hub.add(conn);
		this.hub.subscribe(client, channel, new Member(userId, "{\"name\":\"" + userId + "\"}"));
		return client;
	}

	/** Die without any shutdown work: no leaves, no goodbye to NATS, heartbeats stop. */
	void kill() {
		this.connection.close();
		this.stats.close();
		this.broadcaster.close();
		this.hub.close();
	}

	/** In the order of a Spring context's shutdown: broadcaster, hub, then the beans. */
	@Override
	public void close() {
		this.broadcaster.close();
		if (!this.hub.isClosed()) {
			this.hub.close();
		}
		this.stats.close();
		this.presence.close();
		this.connection.close();
	}

}
