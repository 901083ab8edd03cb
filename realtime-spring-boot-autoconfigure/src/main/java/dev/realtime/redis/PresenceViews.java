package dev.realtime.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.realtime.Member;
import dev.realtime.broadcast.Event;
import dev.realtime.internal.EventHolds;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What this node's clients were told of each presence channel's roster (the roster their
 * joins were confirmed with, then every announcement that reached them), and setting it
 * right after a gap.
 * <p>
 * Announcements travel over pub/sub, which keeps nothing for a node that is not
 * subscribed: after a reconnect, or a Redis Cluster failover (each node notices the new
 * topology on its own refresh, so others may announce before it subscribes again), a
 * node's clients would miss joins and leaves for good while the roster in Redis is right.
 * When the broadcaster reports a channel live again after such a gap, the node holds the
 * channel's incoming events, reads the roster, and delivers to its own subscribers only a
 * {@code member_added} for each member they have not been told of and a
 * {@code member_removed} for each they have been told of that is gone; then lets the held
 * events through. Nothing is announced twice: pusher-js emits {@code pusher:member_added}
 * again for a member it already has.
 */
final class PresenceViews implements RedisBroadcaster.Gaps {

	private static final Log logger = LogFactory.getLog(PresenceViews.class);

	private static final String ADDED = "pusher_internal:member_added";

	private static final String REMOVED = "pusher_internal:member_removed";

	private final RedisConnections connections;

	private final RedisBroadcaster broadcaster;

	private final RedisKeys keys;

	private final JsonMapper json = JsonMapper.shared();

	/** Channel to user id to user info, as this node's clients know it; each map its own lock. */
	private final ConcurrentHashMap<String, Map<String, String>> views = new ConcurrentHashMap<>();

	PresenceViews(RedisConnections connections, RedisBroadcaster broadcaster) {
		this.connections = connections;
		this.broadcaster = broadcaster;
		this.keys = new RedisKeys(connections.config().keyPrefix());
		broadcaster.setGaps(this);
	}

	/** A join on this node was confirmed with a roster: the first one starts the channel's view. */
	void confirmed(String channel, List<Member> roster) {
		this.views.computeIfAbsent(channel, (key) -> {
			Map<String, String> view = new HashMap<>();
			roster.forEach((member) -> view.put(member.id(), member.info()));
			return view;
		});
	}

	@Override
	public void delivering(Event memberEvent) {
		Map<String, String> view = this.views.get(memberEvent.channel());
		if (view == null) {
			return;
		}
		try {
			JsonNode data = this.json.readTree(memberEvent.payload());
			String user = data.get("user_id").asString();
			synchronized (view) {
				if (memberEvent.name().equals(ADDED)) {
					view.put(user, data.get("user_info").toString());
				}
				else if (memberEvent.name().equals(REMOVED)) {
					view.remove(user);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read a presence announcement on " + memberEvent.channel(), ex);
		}
	}

	@Override
	public void released(String channel) {
		this.views.remove(channel);
	}

	@Override
	public void resumed(String channel) {
		if (!this.views.containsKey(channel)) {
			return;
		}
		try {
			this.connections.scheduler().execute(() -> reconcile(channel));
		}
		catch (RejectedExecutionException ex) {
			// Closing.
		}
	}

	/** On the scheduler: tell this node's clients how the roster differs from what they know. */
	private void reconcile(String channel) {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		Map<String, String> view = this.views.get(channel);
		if (commands == null || view == null) {
			return;
		}
		// Announcements arriving from now on wait, and apply on top of the roster read next.
		EventHolds.Hold hold = this.broadcaster.hold(channel);
		try {
			Map<String, String> roster = commands.hgetall(this.keys.members(channel))
				.get(this.connections.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			List<Event> differences = new ArrayList<>();
			synchronized (view) {
				roster.forEach((user, info) -> {
					if (!view.containsKey(user)) {
						differences.add(new Event(channel, ADDED,
								"{\"user_id\":" + this.json.writeValueAsString(user) + ",\"user_info\":" + info + "}"));
					}
				});
				view.keySet().stream().filter((user) -> !roster.containsKey(user)).forEach((user) -> differences
					.add(new Event(channel, REMOVED, "{\"user_id\":" + this.json.writeValueAsString(user) + "}")));
			}
			// Each goes through delivering(), which brings the view up to date.
			differences.forEach(this.broadcaster::deliverLocally);
			if (!differences.isEmpty()) {
				logger.info("Told this node's clients " + differences.size() + " presence change(s) of " + channel
						+ " they missed while not subscribed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			this.connections.recordError(ex);
			logger.debug("Could not reconcile the roster of " + channel, ex);
		}
		finally {
			hold.release();
		}
	}

}
