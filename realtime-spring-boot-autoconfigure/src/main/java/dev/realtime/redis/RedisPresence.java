package dev.realtime.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import dev.realtime.PresenceEvent;
import dev.realtime.PresenceListener;
import dev.realtime.internal.JoinsInProgress;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Presence for the whole cluster: one roster per presence channel in Redis, keyed by user
 * id (a user with connections on two nodes is one member), decided and announced by the
 * {@link PresenceScripts Lua scripts} so {@code member_added} / {@code member_removed}
 * reach the members on every node once per user join or leave.
 * <p>
 * Give it to the hub ({@code HubConfig.builder().presenceDirectory(presence)}): a newcomer
 * is confirmed with the cluster roster, after this node holds the channel in Redis so no
 * later announcement is missed. Leaving never blocks (the script runs asynchronously).
 * <p>
 * Every node registers itself in Redis with an expiry refreshed every third of the
 * {@linkplain RedisClusterConfig#nodeTtl() node TTL}, and every node reaps nodes whose
 * registration expired, removing their users and announcing it: a killed node's users
 * disappear from every roster within about 4/3 of the TTL. The node keeps its own
 * connections' memberships in memory and writes them back (idempotently) whenever Redis
 * may have missed something: after a reconnect, after a failed command, or when Redis no
 * longer knows the node (restarted, or the node was reaped after a long pause).
 */
public final class RedisPresence implements PresenceDirectory, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisPresence.class);

	private final RedisConnections connections;

	private final RedisBroadcaster broadcaster;

	private final RedisClusterConfig config;

	private final String prefix;

	private final String nodeId;

	/** Channel to user to this node's connections of that user. */
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, LocalMember>> local = new ConcurrentHashMap<>();

	/** Joins and leaves (shared) against writing everything back (exclusive). */
	private final ReentrantReadWriteLock writeBack = new ReentrantReadWriteLock();

	private final AtomicBoolean resyncNeeded = new AtomicBoolean(true);

	private final AtomicBoolean closed = new AtomicBoolean();

	private final List<PresenceListener> clusterListeners = new CopyOnWriteArrayList<>();

	private final LongAdder failures = new LongAdder();

	private final LongAdder reaped = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final ScheduledFuture<?> ticks;

	/** What joins and watches in progress took: holds, and a watcher's subscription. */
	private final JoinsInProgress inProgress = new JoinsInProgress();

	private volatile @Nullable CompletableFuture<?> lastLeave;

	/**
	 * Cluster presence over the given connections (create it before they are started).
	 * @param connections the node's Redis connections
	 * @param broadcaster the node's broadcaster, to hold presence channels in Redis
	 */
	public RedisPresence(RedisConnections connections, RedisBroadcaster broadcaster) {
		this.connections = connections;
		this.broadcaster = broadcaster;
		this.config = connections.config();
		this.prefix = this.config.keyPrefix();
		this.nodeId = this.config.nodeId();
		connections.onConnected(() -> {
			this.resyncNeeded.set(true);
			tick();
		});
		long period = Math.max(100, this.config.nodeTtl().toMillis() / 3);
		this.ticks = connections.scheduler().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public @Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers) {
		// Until joined(): announcements made after the roster read must reach the newcomer.
		this.inProgress.add(channel, socketId, this.broadcaster.hold(channel)::release);
		CompletableFuture<Void> subscribed = this.broadcaster.acquire(channel);
		RedisAsyncCommands<String, String> commands = commandsIfUp();
		if (commands == null) {
			recordJoin(channel, member);
			this.resyncNeeded.set(true);
			return null;
		}
		long timeout = this.config.commandTimeout().toMillis();
		try {
			// Subscribed before reading the roster, so no later announcement passes this node by.
			subscribed.get(timeout, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Join anyway: the roster is still right, only announcements may be missed.
			failed(ex);
		}
		// Shared until the reply is in: a write-back must not copy a join the script may
		// refuse (it would add the user to Redis, past the limit, and announce it).
		this.writeBack.readLock().lock();
		try {
			recordJoin(channel, member);
			PresenceReply reply = PresenceReply.parse(PresenceScripts.JOIN
				.<List<Object>>run(commands, this.prefix, channel, this.nodeId, member.id(), member.info(), socketId,
						Integer.toString(maxMembers))
				.get(timeout, TimeUnit.MILLISECONDS));
			List<String> flat = reply.rest();
			if (flat.isEmpty()) {
				// Full across the cluster: nothing was counted; the hub calls no leave.
				recordLeave(channel, member);
				this.broadcaster.release(channel);
				this.refused.increment();
				return List.of();
			}
			announce(reply);
			List<Member> roster = new ArrayList<>(flat.size() / 2);
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				roster.add(new Member(flat.get(i), flat.get(i + 1)));
			}
			return roster;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failed(ex);
			return null;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			failed(ex);
			return null;
		}
		finally {
			this.writeBack.readLock().unlock();
		}
	}

	/**
	 * Read the roster for a watcher, as {@link #join} does for a member (subscribed first,
	 * announcements held until {@link #joined}), counting nothing.
	 */
	@Override
	public @Nullable List<Member> observe(String channel, String socketId) {
		// Released once joined: by then the hub's own subscription, taken as the watcher
		// joins, keeps the channel (a member's is released by its leave instead).
		this.inProgress.add(channel, socketId, this.broadcaster.hold(channel)::release,
				() -> this.broadcaster.release(channel));
		CompletableFuture<Void> subscribed = this.broadcaster.acquire(channel);
		try {
			RedisAsyncCommands<String, String> commands = commandsIfUp();
			if (commands == null) {
				return null;
			}
			long timeout = this.config.commandTimeout().toMillis();
			subscribed.get(timeout, TimeUnit.MILLISECONDS);
			Map<String, String> members = commands.hgetall(this.prefix + ":presence:" + channel + ":members")
				.get(timeout, TimeUnit.MILLISECONDS);
			List<Member> roster = new ArrayList<>(members.size());
			members.forEach((user, info) -> roster.add(new Member(user, info)));
			return roster;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			failed(ex);
			return null;
		}
	}

	/**
	 * Presence joins refused because the channel had the most members across the cluster.
	 * @return the count
	 */
	public long refusedJoins() {
		return this.refused.sum();
	}

	@Override
	public void joined(String channel, String socketId) {
		this.inProgress.done(channel, socketId);
	}

	@Override
	public boolean leave(String channel, Member member, String socketId) {
		this.broadcaster.release(channel);
		RedisAsyncCommands<String, String> commands = commandsIfUp();
		if (commands == null) {
			// Announced once Redis is back (the write-back finds the user gone), not locally
			// now and again then.
			recordLeave(channel, member);
			this.resyncNeeded.set(true);
			return true;
		}
		CompletableFuture<List<Object>> done;
		this.writeBack.readLock().lock();
		try {
			recordLeave(channel, member);
			done = PresenceScripts.LEAVE.run(commands, this.prefix, channel, this.nodeId, member.id());
		}
		finally {
			this.writeBack.readLock().unlock();
		}
		done.whenComplete((result, failure) -> {
			if (failure != null) {
				failed(failure);
			}
			else {
				announce(PresenceReply.parse(result));
			}
		});
		this.lastLeave = done;
		return true;
	}

	private void recordJoin(String channel, Member member) {
		this.local.computeIfAbsent(channel, (key) -> new ConcurrentHashMap<>())
			.compute(member.id(), (user, entry) -> (entry != null) ? entry.plusOne() : new LocalMember(member, 1));
	}

	private void recordLeave(String channel, Member member) {
		this.local.computeIfPresent(channel, (key, users) -> {
			users.computeIfPresent(member.id(), (user, entry) -> entry.minusOne());
			return users.isEmpty() ? null : users;
		});
	}

	/**
	 * The members of a presence channel across the cluster.
	 * @param channel the presence channel
	 * @return the members
	 * @throws IllegalStateException if Redis cannot answer
	 */
	public List<Member> members(String channel) {
		RedisAsyncCommands<String, String> commands = requireCommands();
		Map<String, String> members = await(commands.hgetall(this.prefix + ":presence:" + channel + ":members"));
		List<Member> roster = new ArrayList<>(members.size());
		members.forEach((user, info) -> roster.add(new Member(user, info)));
		return roster;
	}

	/**
	 * Be told when a user joins or leaves a presence channel anywhere in the cluster (the
	 * first connection anywhere joined, the last one left, or its node died): each change
	 * is told once, on the node whose script made it. What webhooks need.
	 * @param listener called on the node's scheduler thread; should not block for long
	 */
	public void onClusterPresence(PresenceListener listener) {
		this.clusterListeners.add(listener);
	}

	private void announce(PresenceReply reply) {
		if (reply.changes().isEmpty() || this.clusterListeners.isEmpty()) {
			return;
		}
		try {
			this.connections.scheduler().execute(() -> tell(reply));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down.
		}
	}

	private void tell(PresenceReply reply) {
		{
			for (PresenceEvent event : reply.changes()) {
				for (PresenceListener listener : this.clusterListeners) {
					try {
						listener.onPresence(event);
					}
					catch (RuntimeException ex) {
						logger.warn("Cluster presence listener failed", ex);
					}
				}
			}
		}
	}

	/**
	 * Redis commands that failed (each makes the node write its memberships back later).
	 * @return the count
	 */
	public long failures() {
		return this.failures.sum();
	}

	/**
	 * Dead nodes this node removed from the rosters.
	 * @return the count
	 */
	public long reapedNodes() {
		return this.reaped.sum();
	}

	/**
	 * Stop refreshing and remove this node's entries (announcing the users that were only
	 * here). Close the hub first, so its connections leave.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.ticks.cancel(false);
		RedisAsyncCommands<String, String> commands = commandsIfUp();
		if (commands == null) {
			return;
		}
		try {
			CompletableFuture<?> leave = this.lastLeave;
			if (leave != null) {
				leave.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			announce(PresenceReply.parse(PresenceScripts.DROP_NODE.<List<Object>>run(commands, this.prefix, this.nodeId)
				.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			logger.warn("Could not remove this node's presence from Redis; other nodes will reap it", ex);
		}
	}

	/** On the scheduler: refresh this node, write back memberships if needed, reap the dead. */
	void tick() {
		if (this.closed.get()) {
			return;
		}
		RedisAsyncCommands<String, String> commands = commandsIfUp();
		if (commands == null) {
			this.resyncNeeded.set(true);
			return;
		}
		try {
			Long fresh = PresenceScripts.HEARTBEAT
				.<Long>run(commands, this.prefix, this.nodeId, Long.toString(this.config.nodeTtl().toMillis()))
				.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (fresh != null && fresh == 1L) {
				this.resyncNeeded.set(true);
			}
			if (this.resyncNeeded.getAndSet(false)) {
				resync(commands);
			}
			PresenceReply reaped = PresenceReply.parse(PresenceScripts.REAP.<List<Object>>run(commands, this.prefix)
				.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS));
			announce(reaped);
			List<String> dead = reaped.rest();
			if (!dead.isEmpty()) {
				this.reaped.add(dead.size());
				logger.info("Removed the presence of dead nodes " + dead);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			failed(ex);
		}
	}

	private void resync(RedisAsyncCommands<String, String> commands)
			throws InterruptedException, ExecutionException, TimeoutException {
		Set<String> channels = new HashSet<>(this.local.keySet());
		channels.addAll(await(commands.smembers(this.prefix + ":node:" + this.nodeId + ":presence")));
		List<CompletableFuture<List<Object>>> writes = new ArrayList<>();
		// Snapshot and send under the write lock: a join or leave is then either in the
		// snapshot or sent after it (one connection keeps the order), never counted twice.
		this.writeBack.writeLock().lock();
		try {
			writeBack(commands, channels, writes);
		}
		finally {
			this.writeBack.writeLock().unlock();
		}
		CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
			.get(this.config.commandTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
		for (CompletableFuture<List<Object>> write : writes) {
			announce(PresenceReply.parse(write.join()));
		}
		logger.debug("Wrote back presence of " + channels.size() + " channels");
	}

	private void writeBack(RedisAsyncCommands<String, String> commands, Set<String> channels,
			List<CompletableFuture<List<Object>>> writes) {
		channels.addAll(this.local.keySet());
		for (String channel : channels) {
			List<String> args = new ArrayList<>();
			args.add(this.prefix);
			args.add(channel);
			args.add(this.nodeId);
			Map<String, LocalMember> users = this.local.get(channel);
			if (users != null) {
				users.forEach((user, entry) -> {
					args.add(user);
					args.add(Integer.toString(entry.connections()));
					args.add(entry.member().info());
				});
			}
			writes.add(PresenceScripts.RESYNC.run(commands, args.toArray(String[]::new)));
		}
	}

	private void failed(Throwable failure) {
		this.failures.increment();
		this.resyncNeeded.set(true);
		this.connections.recordError(failure);
	}

	private @Nullable RedisAsyncCommands<String, String> commandsIfUp() {
		StatefulRedisConnection<String, String> connection = this.connections.commands();
		return (connection != null && this.connections.isUp()) ? connection.async() : null;
	}

	private RedisAsyncCommands<String, String> requireCommands() {
		RedisAsyncCommands<String, String> commands = commandsIfUp();
		if (commands == null) {
			throw new IllegalStateException("Redis is unreachable");
		}
		return commands;
	}

	private <T> T await(Future<T> future) {
		try {
			return future.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer", ex);
		}
	}

	/** A member with how many connections this node has for it. */
	private record LocalMember(Member member, int connections) {

		LocalMember plusOne() {
			return new LocalMember(this.member, this.connections + 1);
		}

		@Nullable LocalMember minusOne() {
			return (this.connections > 1) ? new LocalMember(this.member, this.connections - 1) : null;
		}

	}

}
