package dev.realtime.nats;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import dev.realtime.PresenceEvent;
import dev.realtime.PresenceListener;
import dev.realtime.broadcast.Event;
import dev.realtime.internal.DaemonThreads;
import dev.realtime.internal.JoinsInProgress;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import org.jspecify.annotations.Nullable;

/**
 * Presence across the nodes sharing one NATS: one entry per presence channel in the
 * {@code {prefix}-presence} key-value bucket holds the cluster roster (each user's info
 * and connection count per node), so a user with tabs on several nodes is one member.
 * <p>
 * Every change is a compare-and-set on the entry's revision, retried on conflict, that
 * writes this node's <em>absolute</em> count of the user (read from its own memberships at
 * each attempt). So the first connection of a user anywhere and the last one are each
 * decided by exactly one successful write, whose node announces {@code member_added} /
 * {@code member_removed} (carrying the revision, see {@link NatsBroadcaster}); and writes
 * are idempotent, so a retry, a leave written late or a write-back can never count a
 * connection twice.
 * <p>
 * Every node puts a heartbeat in the {@code {prefix}-nodes} bucket, whose entries expire
 * after the {@linkplain NatsEngineConfig#nodeTtl() node TTL}, every third of it; and every
 * node reaps the rosters of nodes whose heartbeat expired, announcing the users that had
 * no other node. After a reconnect or a failed write, or when its own heartbeat was gone,
 * a node writes all its memberships back.
 */
public final class NatsPresence implements PresenceDirectory, AutoCloseable {

	private static final System.Logger logger = System.getLogger(NatsPresence.class.getName());

	private static final int MAX_ATTEMPTS = 50;

	/** JetStream's "wrong last sequence": the compare-and-set lost. */
	private static final int WRONG_LAST_SEQUENCE = 10071;

	private final NatsConnection connection;

	private final NatsBroadcaster broadcaster;

	private final String nodeId;

	private final String nodeKey;

	private final long timeoutMillis;

	/** Channel to user to this node's connections of that user. */
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, LocalMember>> local = new ConcurrentHashMap<>();

	/** What joins and watches in progress took: holds, and a watcher's subscription. */
	private final JoinsInProgress inProgress = new JoinsInProgress();

	/** Channels whose roster may count this node (to clean up after). */
	private final Set<String> written = ConcurrentHashMap.newKeySet();

	private final ExecutorService writer;

	private final AtomicBoolean resyncNeeded = new AtomicBoolean(true);

	private final AtomicBoolean closed = new AtomicBoolean();

	private final List<PresenceListener> clusterListeners = new CopyOnWriteArrayList<>();

	private final LongAdder failures = new LongAdder();

	private final LongAdder reaped = new LongAdder();

	private final ScheduledFuture<?> ticks;

	private volatile boolean heartbeatWritten;

	/**
	 * Cluster presence over the given connection (create it before the connection is
	 * started).
	 * @param connection the node's NATS connection
	 * @param broadcaster the node's broadcaster, to hold presence channels and announce
	 */
	public NatsPresence(NatsConnection connection, NatsBroadcaster broadcaster) {
		this.connection = connection;
		this.broadcaster = broadcaster;
		NatsEngineConfig config = connection.config();
		this.nodeId = config.nodeId();
		this.nodeKey = Subjects.key(this.nodeId);
		this.timeoutMillis = config.requestTimeout().toMillis();
		this.writer = Executors.newSingleThreadExecutor(DaemonThreads.factory("realtime-nats-presence"));
		connection.onConnected(() -> {
			this.resyncNeeded.set(true);
			tick();
		});
		long period = Math.max(100, config.nodeTtl().toMillis() / 3);
		this.ticks = connection.scheduler().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public @Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers) {
		// Until joined(): announcements made after the roster was written must reach the newcomer.
		this.inProgress.add(channel, socketId, this.broadcaster.hold(channel)::release);
		CompletableFuture<Void> subscribed = this.broadcaster.acquire(channel);
		LocalMember mine = recordJoin(channel, member);
		// A node must be registered before it appears in a roster, or a reaper could take it for dead.
		if (!this.connection.isUp() || (!this.heartbeatWritten && !heartbeat())) {
			this.resyncNeeded.set(true);
			return null;
		}
		try {
			// Subscribed before writing the roster, so no later announcement passes this node by.
			subscribed.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Join anyway: the roster is still right, only announcements may be missed.
			failed(ex);
		}
		Written result = write(channel, mine.member(), socketId, maxMembers);
		if (result != null && result.changes() == Changes.FULL) {
			// Refused: the hub calls no leave for it, so undo what this join took.
			recordLeave(channel, member);
			this.broadcaster.release(channel);
			return List.of();
		}
		return (result != null) ? result.roster().members() : null;
	}

	/**
	 * Read the cluster roster for a watcher, as {@link #join} does for a member (subscribed
	 * first, announcements held until {@link #joined}), writing nothing.
	 */
	@Override
	public @Nullable List<Member> observe(String channel, String socketId) {
		// Given back once joined: by then the hub's own subscription, taken as the watcher
		// joins, keeps the channel (a member's is given back by its leave instead).
		this.inProgress.add(channel, socketId, this.broadcaster.hold(channel)::release,
				() -> this.broadcaster.release(channel));
		CompletableFuture<Void> subscribed = this.broadcaster.acquire(channel);
		if (!this.connection.isUp()) {
			return null;
		}
		try {
			subscribed.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
			return members(channel);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException | IllegalStateException ex) {
			failed(ex);
			return null;
		}
	}

	@Override
	public void joined(String channel, String socketId) {
		this.inProgress.done(channel, socketId);
	}

	@Override
	public boolean leave(String channel, Member member, String socketId) {
		this.broadcaster.release(channel);
		recordLeave(channel, member);
		if (!this.connection.isUp()) {
			// Announced once NATS is back (the write-back finds the user gone), not locally
			// now and again then.
			this.resyncNeeded.set(true);
			return true;
		}
		try {
			this.writer.execute(() -> write(channel, member, null, Integer.MAX_VALUE));
		}
		catch (RejectedExecutionException ex) {
			// Closing: close() removes this node's entries.
		}
		return true;
	}

	/**
	 * The members of a presence channel across the cluster.
	 * @param channel the presence channel
	 * @return the members
	 * @throws IllegalStateException if NATS cannot answer
	 */
	public List<Member> members(String channel) {
		try {
			KeyValueEntry entry = presence().get(Subjects.key(channel));
			return isValue(entry) ? ClusterRoster.decode(entry.getValue()).members() : List.of();
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			throw new IllegalStateException("NATS cannot answer: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Be told when a user joins or leaves a presence channel anywhere in the cluster (the
	 * first connection anywhere joined, the last one left, or its node died): each change
	 * is told once, on the node whose write made it. What webhooks need.
	 * @param listener called on the node's scheduler thread; should not block for long
	 */
	public void onClusterPresence(PresenceListener listener) {
		this.clusterListeners.add(listener);
	}

	/**
	 * Writes to NATS that failed (each makes the node write its memberships back later).
	 * @return the count
	 */
	public long failures() {
		return this.failures.sum();
	}

	/**
	 * Dead nodes this node removed from rosters.
	 * @return the count
	 */
	public long reapedNodes() {
		return this.reaped.sum();
	}

	/**
	 * Stop the heartbeat and remove this node from every roster (announcing the users that
	 * were only here). Close the hub first, so its connections leave.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.ticks.cancel(false);
		this.writer.shutdown();
		try {
			this.writer.awaitTermination(this.timeoutMillis * 2, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.connection.isUp()) {
			return;
		}
		this.local.clear();
		for (String channel : List.copyOf(this.written)) {
			writeBack(channel);
		}
		try {
			this.connection.keyValue(NatsConnection.NODES).delete(this.nodeKey);
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			logger.log(System.Logger.Level.WARNING,
					"Could not remove this node's heartbeat from NATS; other nodes will reap it: " + ex.getMessage());
		}
	}

	private LocalMember recordJoin(String channel, Member member) {
		return this.local.computeIfAbsent(channel, (key) -> new ConcurrentHashMap<>())
			.compute(member.id(), (user, entry) -> (entry != null) ? entry.plusOne() : new LocalMember(member, 1));
	}

	private void recordLeave(String channel, Member member) {
		this.local.computeIfPresent(channel, (key, users) -> {
			users.computeIfPresent(member.id(), (user, entry) -> entry.minusOne());
			return users.isEmpty() ? null : users;
		});
	}

	private int localCount(String channel, String user) {
		Map<String, LocalMember> users = this.local.get(channel);
		LocalMember entry = (users != null) ? users.get(user) : null;
		return (entry != null) ? entry.connections() : 0;
	}

	/**
	 * Write this node's count of one user; announce the transition it made, if any. A user
	 * who is not a member yet is refused when the roster holds {@code maxMembers} users.
	 */
	private @Nullable Written write(String channel, Member member, @Nullable String exceptSocketId, int maxMembers) {
		this.written.add(channel);
		Written result = update(channel, (roster) -> {
			if (roster.isFull(member.id(), maxMembers)) {
				return Changes.FULL;
			}
			int change = roster.set(member, this.nodeId, localCount(channel, member.id()));
			return (change > 0) ? new Changes(List.of(member), List.of())
					: (change < 0) ? new Changes(List.of(), List.of(member)) : Changes.NONE;
		});
		if (result != null) {
			announce(channel, result, exceptSocketId);
		}
		return result;
	}

	/** Set every count of this node in a channel to what it knows itself. */
	private void writeBack(String channel) {
		Map<String, LocalMember> users = this.local.getOrDefault(channel, new ConcurrentHashMap<>());
		Written result = update(channel, (roster) -> {
			Map<String, Map.Entry<Member, Integer>> counts = new HashMap<>();
			users.forEach((user, entry) -> counts.put(user,
					new AbstractMap.SimpleImmutableEntry<>(entry.member(), entry.connections())));
			List<Member> added = new ArrayList<>();
			List<Member> removed = new ArrayList<>();
			roster.replaceNode(this.nodeId, counts, added, removed);
			return new Changes(added, removed);
		});
		if (result != null) {
			announce(channel, result, null);
			if (!result.roster().hasNode(this.nodeId)) {
				this.written.remove(channel);
			}
		}
	}

	/**
	 * Compare-and-set loop on a channel's roster entry. The change runs on a fresh copy at
	 * each attempt.
	 * @return the roster written and what changed, or {@code null} if NATS failed
	 */
	private @Nullable Written update(String channel, Function<ClusterRoster, Changes> change) {
		String key = Subjects.key(channel);
		try {
			KeyValue presence = presence();
			for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
				KeyValueEntry entry = presence.get(key);
				ClusterRoster roster = isValue(entry) ? ClusterRoster.decode(entry.getValue()) : new ClusterRoster();
				Changes changes = change.apply(roster);
				if (changes == Changes.FULL) {
					return new Written(roster, changes, (entry != null) ? entry.getRevision() : 0);
				}
				if (changes.isEmpty() && isValue(entry)
						&& Arrays.equals(entry.getValue(), roster.encode())) {
					return new Written(roster, changes, entry.getRevision());
				}
				try {
					long revision = (entry == null) ? presence.create(key, roster.encode())
							: presence.update(key, roster.encode(), entry.getRevision());
					return new Written(roster, changes, revision);
				}
				catch (JetStreamApiException ex) {
					if (ex.getApiErrorCode() != WRONG_LAST_SEQUENCE && ex.getErrorCode() != 400) {
						throw ex;
					}
					// Another node wrote first: read again.
				}
			}
			throw new IOException("Too many concurrent writes to the roster of " + channel);
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			failed(ex);
			return null;
		}
	}

	private static boolean isValue(@Nullable KeyValueEntry entry) {
		return entry != null && entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null;
	}

	private KeyValue presence() throws IOException {
		return this.connection.keyValue(NatsConnection.PRESENCE);
	}

	private void announce(String channel, Written result, @Nullable String exceptSocketId) {
		for (Member member : result.changes().added()) {
			this.broadcaster.announce(new Event(channel, "pusher_internal:member_added",
					"{\"user_id\":" + Json.quote(member.id()) + ",\"user_info\":" + member.info() + "}",
					exceptSocketId), member.id(), result.revision());
		}
		for (Member member : result.changes().removed()) {
			this.broadcaster.announce(new Event(channel, "pusher_internal:member_removed",
					"{\"user_id\":" + Json.quote(member.id()) + "}"), member.id(), result.revision());
		}
		if (this.clusterListeners.isEmpty() || result.changes().isEmpty()) {
			return;
		}
		List<PresenceEvent> events = new ArrayList<>();
		result.changes().added().forEach((member) -> events.add(new PresenceEvent(channel, true, member)));
		result.changes().removed().forEach((member) -> events.add(new PresenceEvent(channel, false, member)));
		try {
			this.connection.scheduler().execute(() -> events.forEach(this::tell));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down.
		}
	}

	private void tell(PresenceEvent event) {
		for (PresenceListener listener : this.clusterListeners) {
			try {
				listener.onPresence(event);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Cluster presence listener failed", ex);
			}
		}
	}

	private void failed(Throwable failure) {
		this.failures.increment();
		this.resyncNeeded.set(true);
		this.connection.recordError(failure);
	}

	// The scheduler: heartbeat, write-back, reaper

	private void tick() {
		if (this.closed.get() || !this.connection.isUp()) {
			return;
		}
		try {
			KeyValue nodes = this.connection.keyValue(NatsConnection.NODES);
			if (this.heartbeatWritten && !isValue(nodes.get(this.nodeKey))) {
				// Expired (a long pause) and maybe reaped: write everything back.
				this.resyncNeeded.set(true);
			}
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			failed(ex);
			return;
		}
		if (!heartbeat()) {
			return;
		}
		if (this.resyncNeeded.getAndSet(false)) {
			runOnWriter(this::writeBackAll);
		}
		reap();
	}

	private boolean heartbeat() {
		try {
			this.connection.keyValue(NatsConnection.NODES).put(this.nodeKey, new byte[] { 1 });
			this.heartbeatWritten = true;
			return true;
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			failed(ex);
			return false;
		}
	}

	private void writeBackAll() {
		Set<String> channels = new HashSet<>(this.written);
		channels.addAll(this.local.keySet());
		for (String channel : channels) {
			writeBack(channel);
		}
	}

	private void runOnWriter(Runnable task) {
		try {
			this.writer.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closing.
		}
	}

	/**
	 * Rosters are read before the live nodes: a node appears in a roster only after its
	 * first heartbeat, so a node that just started is never mistaken for a dead one.
	 */
	private void reap() {
		try {
			KeyValue presence = presence();
			List<String> keys = presence.keys();
			Map<String, ClusterRoster> rosters = new HashMap<>();
			for (String key : keys) {
				KeyValueEntry entry = presence.get(key);
				if (isValue(entry)) {
					rosters.put(key, ClusterRoster.decode(entry.getValue()));
				}
			}
			Set<String> live = new HashSet<>();
			for (String key : this.connection.keyValue(NatsConnection.NODES).keys()) {
				live.add(Subjects.fromKey(key));
			}
			live.add(this.nodeId);
			Set<String> dead = new HashSet<>();
			rosters.forEach((key, roster) -> {
				if (!roster.hasNodesOutside(live)) {
					return;
				}
				String channel = Subjects.fromKey(key);
				Written result = update(channel, (current) -> {
					List<Member> removed = new ArrayList<>();
					current.collectNodesOutside(live, dead);
					current.dropNodesExcept(live, removed);
					return new Changes(List.of(), removed);
				});
				if (result != null) {
					announce(channel, result, null);
				}
			});
			this.reaped.add(dead.size());
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			failed(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record LocalMember(Member member, int connections) {

		LocalMember plusOne() {
			return new LocalMember(this.member, this.connections + 1);
		}

		@Nullable LocalMember minusOne() {
			return (this.connections > 1) ? new LocalMember(this.member, this.connections - 1) : null;
		}

	}

	private record Changes(List<Member> added, List<Member> removed) {

		static final Changes NONE = new Changes(List.of(), List.of());

		/** The channel is full: nothing written. */
		static final Changes FULL = new Changes(List.of(), List.of());

		boolean isEmpty() {
			return this.added.isEmpty() && this.removed.isEmpty();
		}

	}

	private record Written(ClusterRoster roster, Changes changes, long revision) {
	}

}
