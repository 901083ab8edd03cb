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
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
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

	private final RedisKeys keys;

	private final PresenceScripts scripts;

	/** The registry scripts' keys: the live nodes and the nodes being reaped. */
	private final String[] registry;

	private final String nodeId;

	/**
	 * Channels whose last local member left, and whose leave Redis took: dropped from this
	 * node's channel index at the next tick unless someone joined again meanwhile.
	 */
	private final Set<String> emptied = ConcurrentHashMap.newKeySet();

	/** Channel to user to this node's connections of that user. */
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, LocalMember>> local = new ConcurrentHashMap<>();

	/** Joins and leaves (shared) against writing everything back (exclusive). */
	private final ReentrantReadWriteLock writeBack = new ReentrantReadWriteLock();

	private final AtomicBoolean resyncNeeded = new AtomicBoolean(true);

	private final AtomicBoolean closed = new AtomicBoolean();

	private final List<PresenceListener> clusterListeners = new CopyOnWriteArrayList<>();

	/** What this node's clients were told of each roster, set right after a gap. */
	private final PresenceViews views;

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
		this.keys = new RedisKeys(this.config.keyPrefix());
		this.scripts = connections.isCluster() ? PresenceScripts.SHARDED : PresenceScripts.PLAIN;
		this.registry = new String[] { this.keys.nodes(), this.keys.reaping() };
		this.nodeId = this.config.nodeId();
		this.views = new PresenceViews(connections, broadcaster);
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
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
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
			boolean firstHere = !this.local.containsKey(channel);
			recordJoin(channel, member);
			if (firstHere) {
				// In the node's channel index before its entries exist (pipelined, not
				// awaited): what a reaper drops if this node dies. Later joins find it there,
				// since the index loses a channel only under the write lock, once no member
				// is left here. A failed write is written back later.
				commands.sadd(this.keys.nodePresence(this.nodeId), channel).exceptionally((failure) -> {
					failed(failure);
					return null;
				});
			}
			PresenceReply reply = PresenceReply.parse(this.scripts.join
				.<List<Object>>run(commands, channelKey(channel), this.keys.channel(channel), channel, this.nodeId,
						member.id(), member.info(), socketId, Integer.toString(maxMembers))
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
			this.views.confirmed(channel, roster);
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
			RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
			if (commands == null) {
				return null;
			}
			long timeout = this.config.commandTimeout().toMillis();
			subscribed.get(timeout, TimeUnit.MILLISECONDS);
			Map<String, String> members = commands.hgetall(this.keys.members(channel))
				.get(timeout, TimeUnit.MILLISECONDS);
			List<Member> roster = new ArrayList<>(members.size());
			members.forEach((user, info) -> roster.add(new Member(user, info)));
			this.views.confirmed(channel, roster);
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
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
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
			done = this.scripts.leave.run(commands, channelKey(channel), this.keys.channel(channel), channel,
					this.nodeId, member.id());
		}
		finally {
			this.writeBack.readLock().unlock();
		}
		done.whenComplete((result, failure) -> {
			if (failure != null) {
				failed(failure);
			}
			else {
				if (!this.local.containsKey(channel)) {
					this.emptied.add(channel);
				}
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
		RedisClusterAsyncCommands<String, String> commands = requireCommands();
		Map<String, String> members = await(commands.hgetall(this.keys.members(channel)));
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
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			return;
		}
		try {
			CompletableFuture<?> leave = this.lastLeave;
			if (leave != null) {
				leave.get(this.config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			// Claimed as a reaper would claim it: if this stops midway, a reaper finishes.
			await(PresenceScripts.RETIRE.run(commands, this.registry, this.nodeId, lease()));
			dropEntries(commands, this.nodeId);
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
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			this.resyncNeeded.set(true);
			return;
		}
		try {
			Long registered = await(PresenceScripts.HEARTBEAT.run(commands, this.registry, this.nodeId,
					Long.toString(this.config.nodeTtl().toMillis())));
			if (registered == 1L) {
				this.resyncNeeded.set(true);
			}
			// While a reaper drops this node's entries (2), a write-back would be undone:
			// it waits for the tick that registers the node again.
			if (registered != 2L && this.resyncNeeded.getAndSet(false)) {
				resync(commands);
			}
			forgetEmptied(commands);
			List<String> dead = await(PresenceScripts.CLAIM_DEAD.run(commands, this.registry, lease()));
			for (String node : dead) {
				dropEntries(commands, node);
				this.reaped.increment();
			}
			if (!dead.isEmpty()) {
				logger.info("Removed the presence of dead nodes " + dead);
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	/**
	 * Remove a node's entries from every channel it has any in (announcing its users that
	 * were nowhere else), then its own keys, then the claim on it.
	 */
	private void dropEntries(RedisClusterAsyncCommands<String, String> commands, String node) {
		Set<String> channels = await(commands.smembers(this.keys.nodePresence(node)));
		List<CompletableFuture<List<Object>>> drops = new ArrayList<>(channels.size());
		for (String channel : channels) {
			drops.add(this.scripts.dropNode.run(commands, channelKey(channel), this.keys.channel(channel), channel,
					node));
		}
		awaitAll(drops);
		for (CompletableFuture<List<Object>> drop : drops) {
			announce(PresenceReply.parse(drop.join()));
		}
		await(commands.del(this.keys.nodePresence(node), this.keys.nodeSubscriptions(node),
				this.keys.nodeConnections(node)));
		await(commands.zrem(this.keys.reaping(), node));
	}

	/** Drop the channels this node no longer has members in from its index. */
	private void forgetEmptied(RedisClusterAsyncCommands<String, String> commands) {
		if (this.emptied.isEmpty()) {
			return;
		}
		CompletableFuture<Long> removed = null;
		// Exclusive: a join sends its SADD after this SREM, or its member is in local already.
		this.writeBack.writeLock().lock();
		try {
			List<String> gone = new ArrayList<>();
			for (String channel : List.copyOf(this.emptied)) {
				this.emptied.remove(channel);
				if (!this.local.containsKey(channel)) {
					gone.add(channel);
				}
			}
			if (!gone.isEmpty()) {
				removed = commands.srem(this.keys.nodePresence(this.nodeId), gone.toArray(String[]::new))
					.toCompletableFuture();
			}
		}
		finally {
			this.writeBack.writeLock().unlock();
		}
		if (removed != null) {
			await(removed);
		}
	}

	private void resync(RedisClusterAsyncCommands<String, String> commands) {
		Set<String> channels = new HashSet<>(this.local.keySet());
		channels.addAll(await(commands.smembers(this.keys.nodePresence(this.nodeId))));
		List<CompletableFuture<List<Object>>> writes = new ArrayList<>();
		CompletableFuture<?> index;
		// Snapshot and send under the write lock: a join or leave is then either in the
		// snapshot or sent after it (each key's commands keep their order), never counted twice.
		this.writeBack.writeLock().lock();
		try {
			index = writeBack(commands, channels, writes);
		}
		finally {
			this.writeBack.writeLock().unlock();
		}
		writes.add(index.thenApply((ignored) -> List.of("0")));
		awaitAll(writes);
		for (CompletableFuture<List<Object>> write : writes) {
			announce(PresenceReply.parse(write.join()));
		}
		logger.debug("Wrote back presence of " + channels.size() + " channels");
	}

	/** Sends the write-back of each channel, then the channel index to match; returns the index write. */
	private CompletableFuture<?> writeBack(RedisClusterAsyncCommands<String, String> commands, Set<String> channels,
			List<CompletableFuture<List<Object>>> writes) {
		channels.addAll(this.local.keySet());
		List<String> held = new ArrayList<>();
		List<String> gone = new ArrayList<>();
		for (String channel : channels) {
			List<String> args = new ArrayList<>();
			args.add(this.keys.channel(channel));
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
			((users != null) ? held : gone).add(channel);
			writes.add(this.scripts.resync.run(commands, channelKey(channel), args.toArray(String[]::new)));
		}
		String index = this.keys.nodePresence(this.nodeId);
		CompletableFuture<?> added = held.isEmpty() ? CompletableFuture.completedFuture(0L)
				: commands.sadd(index, held.toArray(String[]::new)).toCompletableFuture();
		CompletableFuture<?> removed = gone.isEmpty() ? CompletableFuture.completedFuture(0L)
				: commands.srem(index, gone.toArray(String[]::new)).toCompletableFuture();
		return CompletableFuture.allOf(added, removed);
	}

	private String[] channelKey(String channel) {
		return new String[] { this.keys.presence(channel) };
	}

	private String lease() {
		return Long.toString(this.config.nodeTtl().toMillis());
	}

	private void awaitAll(List<? extends CompletableFuture<?>> futures) {
		await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)),
				this.config.commandTimeout().toMillis() * 4);
	}

	private void failed(Throwable failure) {
		this.failures.increment();
		this.resyncNeeded.set(true);
		this.connections.recordError(failure);
	}

	private RedisClusterAsyncCommands<String, String> requireCommands() {
		RedisClusterAsyncCommands<String, String> commands = this.connections.commands();
		if (commands == null) {
			throw new IllegalStateException("Redis is unreachable");
		}
		return commands;
	}

	private <T> T await(Future<T> future) {
		return await(future, this.config.commandTimeout().toMillis());
	}

	private <T> T await(Future<T> future, long timeoutMillis) {
		try {
			return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
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
