package dev.realtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.realtime.internal.DaemonThreads;
import org.jspecify.annotations.Nullable;

/**
 * The hub: connections, the channels they joined, presence rosters, and the fan-out of
 * frames to subscribers.
 * <p>
 * Thread-safe, with no lock shared by all channels or all subscribers: the channel map's
 * bins serialize joins and leaves per channel; a broadcast reads a channel's subscriber
 * array without locking and queues the same {@link Frame} on each subscriber's bounded
 * outbox; each outbox is written by one writer at a time on the writer executor. Nothing
 * here blocks the caller: a full outbox applies the {@link SlowConsumerPolicy}.
 * <p>
 * After {@link #close()} every method but {@link #remove}, {@link #isClosed()},
 * {@code close()}, {@link #config()} and the counters ({@link #deliveries()},
 * {@link #dropped()}, {@link #slowConsumerDisconnects()}) throws {@link HubClosedException}.
 */
public final class Hub implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(Hub.class.getName());

	private final HubConfig config;

	private final ChannelFrames frames;

	private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

	private final List<PresenceListener> presenceListeners = new CopyOnWriteArrayList<>();

	/** Presence events in roster order, queued under the channel's lock, told outside it. */
	private final ConcurrentLinkedQueue<PresenceEvent> presenceEvents = new ConcurrentLinkedQueue<>();

	/** Non-zero while a thread tells the listeners; see {@link #notifyPresence()}. */
	private final AtomicInteger presenceNotifying = new AtomicInteger();

	private final List<ChannelListener> channelListeners = new CopyOnWriteArrayList<>();

	private final @Nullable PresenceDirectory presenceDirectory;

	private final @Nullable OutboxWaitRecorder outboxWaitRecorder;

	private final Executor writerExecutor;

	private final @Nullable ExecutorService ownedExecutor;

	private final @Nullable ScheduledExecutorService watchdog;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final LongAdder deliveries = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder slowConsumerDisconnects = new LongAdder();

	/** A hub with the default settings. */
	public Hub() {
		this(HubConfig.defaults());
	}

	/**
	 * A hub with the given settings.
	 * @param config the settings
	 */
	public Hub(HubConfig config) {
		this.config = config;
		this.frames = config.channelFrames();
		this.presenceDirectory = config.presenceDirectory();
		this.outboxWaitRecorder = config.outboxWaitRecorder();
		Executor executor = config.writerExecutor();
		if (executor != null) {
			this.writerExecutor = executor;
			this.ownedExecutor = null;
		}
		else {
			this.ownedExecutor = DaemonThreads.newWriterPool("realtime-writer", 256);
			this.writerExecutor = this.ownedExecutor;
		}
		this.watchdog = config.sendTimeout().isZero() ? null : startWatchdog(config.sendTimeout().toNanos());
	}

	// Connections

	/**
	 * Register a new connection.
	 * @param conn the transport
	 * @return the client, with a fresh socket id
	 */
	public Client add(Conn conn) {
		ensureOpen();
		Client client = new Client(this.config.socketIds().get(), conn, this, this.config);
		if (this.clients.putIfAbsent(client.id(), client) != null) {
			throw new IllegalStateException("Socket id generator repeated id " + client.id());
		}
		if (this.closed.get()) {
			// Lost a race with close(): do not leave a client behind.
			client.closeNow(CloseReason.GOING_AWAY);
			forget(client);
			throw new HubClosedException();
		}
		return client;
	}

	/**
	 * Forget a connection whose transport has closed: it leaves every channel (presence
	 * members are removed when it was their last connection). Idempotent; allowed after
	 * {@link #close()}.
	 * @param client the client
	 */
	public void remove(Client client) {
		client.markClosed();
		forget(client);
	}

	/**
	 * Close a connection after its queued frames are written.
	 * @param client the client
	 * @param reason the close code and reason
	 */
	public void disconnect(Client client, CloseReason reason) {
		ensureOpen();
		client.closeAfterFlush(reason);
	}

	/**
	 * Close every connection of a signed-in user (see {@link #signIn}).
	 * @param userId the user id
	 * @param reason the close code and reason
	 * @return how many connections are being closed
	 */
	public int disconnectUser(String userId, CloseReason reason) {
		ensureOpen();
		Channel channel = this.channels.get(ChannelNames.serverToUser(userId));
		if (channel == null) {
			return 0;
		}
		int count = 0;
		for (Client client : channel.subscribers()) {
			if (client.closeAfterFlush(reason)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Look up a connection of this node.
	 * @param socketId the socket id
	 * @return the client, or {@code null}
	 */
	public @Nullable Client client(String socketId) {
		ensureOpen();
		return this.clients.get(socketId);
	}

	/**
	 * Mark a connection as signed in as a user and join it to the user's server-to-user
	 * channel, so {@link #sendToUser} reaches it.
	 * @param client the client
	 * @param userId the user id
	 * @throws IllegalStateException if the client signed in as another user before
	 */
	public void signIn(Client client, String userId) {
		signIn(client, userId, null);
	}

	/**
	 * Sign in as {@link #signIn(Client, String)} does, and queue a confirmation to the client
	 * under the same update, so that the client never holds the confirmation before
	 * {@link #sendToUser} and {@link #disconnectUser} reach it, and every frame to the user
	 * comes after it.
	 * @param client the client
	 * @param userId the user id
	 * @param confirmation the frame telling the client it is signed in, or {@code null}
	 * @throws IllegalStateException if the client signed in as another user before
	 */
	public void signIn(Client client, String userId, @Nullable Frame confirmation) {
		ensureOpen();
		String current = client.userId();
		if (current != null && !current.equals(userId)) {
			throw new IllegalStateException("Client " + client.id() + " is signed in as another user");
		}
		client.setUserId(userId);
		join(client, ChannelNames.serverToUser(userId), ChannelType.SERVER_TO_USER, null, false, null, confirmation);
	}

	/**
	 * Make a signed-in connection count towards its user being online, for the user's
	 * watchers (see {@link #watch}): it joins the user's {@link ChannelType#USER_ONLINE}
	 * channel as a member, so the watchers are told {@code online} when the user's first
	 * connection anywhere does this and {@code offline} when the last one closes. Joining
	 * twice changes nothing.
	 * @param client the client
	 * @throws IllegalStateException if the client is not signed in
	 */
	public void goOnline(Client client) {
		ensureOpen();
		String userId = client.userId();
		if (userId == null) {
			throw new IllegalStateException("Client " + client.id() + " is not signed in");
		}
		String channel = ChannelNames.userOnline(userId);
		if (client.isSubscribed(channel)) {
			return;
		}
		joinPresence(client, channel, ChannelType.USER_ONLINE, new Member(userId, "null"), false);
	}

	/**
	 * Watch users: the client is told, through {@link ChannelFrames}, which of them are
	 * online now (one {@link ChannelFrames#subscribed} per user, with the user's roster)
	 * and then whenever one of them comes online or goes offline ({@code memberAdded} /
	 * {@code memberRemoved} on the user's {@link ChannelType#USER_ONLINE} channel), until it
	 * closes. The client's own user, and users it watches already, are skipped.
	 * @param client the client
	 * @param userIds the users to watch
	 * @return how many users it started watching
	 */
	public int watch(Client client, Collection<String> userIds) {
		ensureOpen();
		int watching = 0;
		for (String userId : userIds) {
			String channel = ChannelNames.userOnline(userId);
			if (userId.equals(client.userId()) || client.isSubscribed(channel)) {
				continue;
			}
			if (joinPresence(client, channel, ChannelType.USER_ONLINE, null, true) == Joined.SUBSCRIBED) {
				watching++;
			}
		}
		return watching;
	}

	// Channels

	/**
	 * Join a public, private or encrypted channel (authorization is the caller's job).
	 * @param client the client
	 * @param channel the channel name
	 * @return the outcome
	 * @throws InvalidChannelException if the name is invalid
	 * @throws IllegalArgumentException for a presence channel (a member is needed)
	 */
	public Joined subscribe(Client client, String channel) {
		return subscribe(client, channel, null);
	}

	/**
	 * Join a channel; for presence channels as the given member. The client's confirmation
	 * ({@link ChannelFrames#subscribed}) is queued before any broadcast to the channel can
	 * reach it. Subscribing twice answers the confirmation again and changes nothing.
	 * @param client the client
	 * @param channel the channel name
	 * @param member who the client is in the presence roster; required for presence
	 * channels, ignored otherwise
	 * @return the outcome
	 * @throws InvalidChannelException if the name is invalid, or names another user's
	 * server-to-user channel
	 * @throws IllegalArgumentException for a presence channel without a member
	 */
	public Joined subscribe(Client client, String channel, @Nullable Member member) {
		ensureOpen();
		ChannelType type = ChannelType.classify(channel);
		if (type == ChannelType.SERVER_TO_USER) {
			String userId = client.userId();
			if (userId == null || !channel.equals(ChannelNames.serverToUser(userId))) {
				throw new InvalidChannelException(channel, "a connection may only join its own signed-in user's channel");
			}
		}
		else {
			ChannelNames.validate(channel);
		}
		if (type.isPresence() && member == null) {
			throw new IllegalArgumentException("Joining presence channel " + channel + " needs a member");
		}
		if (type.isPresence() && !client.isSubscribed(channel)) {
			return joinPresence(client, channel, type, member, true);
		}
		return join(client, channel, type, type.isPresence() ? member : null, true, null, null);
	}

	/**
	 * Leave a channel. Idempotent; a channel is removed with its last subscriber.
	 * @param client the client
	 * @param channel the channel name
	 * @return {@code true} if the client was subscribed
	 */
	public boolean unsubscribe(Client client, String channel) {
		ensureOpen();
		return leave(client, channel);
	}

	// Sending

	/**
	 * Queue a frame for every subscriber of a channel.
	 * @param channel the channel
	 * @param frame the frame, shared by all subscribers
	 * @return how many subscribers it was queued for
	 */
	public int broadcast(String channel, Frame frame) {
		return broadcastExcept(channel, frame, (Client) null);
	}

	/**
	 * Queue a binary frame for every subscriber of a channel.
	 * @param channel the channel
	 * @param payload the payload; not copied, must not change afterwards
	 * @return how many subscribers it was queued for
	 */
	public int broadcastBinary(String channel, byte[] payload) {
		return broadcast(channel, Frame.binary(payload));
	}

	/**
	 * Queue a frame for every subscriber of a channel but one.
	 * @param channel the channel
	 * @param frame the frame
	 * @param except the client to skip, or {@code null}
	 * @return how many subscribers it was queued for
	 */
	public int broadcastExcept(String channel, Frame frame, @Nullable Client except) {
		ensureOpen();
		Channel target = this.channels.get(channel);
		if (target == null) {
			return 0;
		}
		if (this.outboxWaitRecorder != null) {
			frame.stampQueued(System.nanoTime());
		}
		int queued = 0;
		for (Client client : target.subscribers()) {
			if (client != except && client.deliver(frame)) {
				queued++;
			}
		}
		this.deliveries.add(queued);
		return queued;
	}

	/**
	 * Queue a frame for every subscriber of a channel but the connection with the given
	 * socket id (which may be on another node, in which case nobody is skipped here).
	 * @param channel the channel
	 * @param frame the frame
	 * @param exceptSocketId the socket id to skip, or {@code null}
	 * @return how many subscribers it was queued for
	 */
	public int broadcastExcept(String channel, Frame frame, @Nullable String exceptSocketId) {
		Client except = (exceptSocketId != null) ? this.clients.get(exceptSocketId) : null;
		return broadcastExcept(channel, frame, except);
	}

	/**
	 * Queue a frame for one connection of this node.
	 * @param socketId the socket id
	 * @param frame the frame
	 * @return {@code true} if queued
	 */
	public boolean sendTo(String socketId, Frame frame) {
		ensureOpen();
		Client client = this.clients.get(socketId);
		if (client == null || !client.deliver(frame)) {
			return false;
		}
		this.deliveries.increment();
		return true;
	}

	/**
	 * Queue a frame for every connection of a signed-in user on this node.
	 * @param userId the user id
	 * @param frame the frame
	 * @return how many connections it was queued for
	 */
	public int sendToUser(String userId, Frame frame) {
		return broadcast(ChannelNames.serverToUser(userId), frame);
	}

	// Queries

	/**
	 * How many connections this hub holds.
	 * @return the count
	 */
	public int count() {
		ensureOpen();
		return this.clients.size();
	}

	/**
	 * How many connections are subscribed to a channel.
	 * @param channel the channel
	 * @return the count, 0 for a channel nobody joined
	 */
	public int channelCount(String channel) {
		ensureOpen();
		Channel target = this.channels.get(channel);
		return (target != null) ? target.subscribers().length : 0;
	}

	/**
	 * The occupied channels; a snapshot.
	 * @return the channel names
	 */
	public Set<String> channels() {
		ensureOpen();
		return Set.copyOf(this.channels.keySet());
	}

	/**
	 * The members of a presence channel; a snapshot.
	 * @param channel the channel
	 * @return the members in join order, empty if the channel is not an occupied presence
	 * channel
	 */
	public List<Member> presence(String channel) {
		ensureOpen();
		Channel target = this.channels.get(channel);
		PresenceRoster roster = (target != null) ? target.roster() : null;
		return (roster != null) ? roster.members() : Collections.emptyList();
	}

	/**
	 * Be told when members join or leave presence channels.
	 * @param listener the listener
	 */
	public void onPresence(PresenceListener listener) {
		ensureOpen();
		this.presenceListeners.add(listener);
	}

	/**
	 * Be told when a channel gets its first subscriber on this hub or loses its last one.
	 * @param listener the listener, called under the channel's lock (see
	 * {@link ChannelListener})
	 */
	public void onChannelLifecycle(ChannelListener listener) {
		ensureOpen();
		this.channelListeners.add(listener);
	}

	/**
	 * Frames queued for subscribers since the hub started.
	 * @return the count
	 */
	public long deliveries() {
		return this.deliveries.sum();
	}

	/**
	 * Frames dropped because an outbox was full (under either policy).
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Connections closed by {@link SlowConsumerPolicy#DISCONNECT_CLIENT}.
	 * @return the count
	 */
	public long slowConsumerDisconnects() {
		return this.slowConsumerDisconnects.sum();
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public HubConfig config() {
		return this.config;
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Close the hub: stop accepting calls, let every connection flush its outbox and close
	 * it with {@link CloseReason#GOING_AWAY} (waiting up to the shutdown timeout), then
	 * close what is left. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (Client client : this.clients.values()) {
			client.closeAfterFlush(CloseReason.GOING_AWAY);
		}
		long deadline = System.nanoTime() + this.config.shutdownTimeout().toNanos();
		while (!this.clients.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (Client client : this.clients.values()) {
			client.closeNow(CloseReason.GOING_AWAY);
			forget(client);
		}
		for (String channel : this.channels.keySet()) {
			this.channels.computeIfPresent(channel, (name, target) -> {
				tearDown(target);
				return null;
			});
		}
		notifyPresence();
		if (this.watchdog != null) {
			this.watchdog.shutdownNow();
		}
		if (this.ownedExecutor != null) {
			this.ownedExecutor.shutdown();
		}
	}

	// Called by Client

	Executor writerExecutor() {
		return this.writerExecutor;
	}

	void overflowed(Client client) {
		this.dropped.increment();
		client.countDrop();
		if (this.config.slowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT_CLIENT && client.markClosedIfOpen()) {
			this.slowConsumerDisconnects.increment();
			Runnable disconnect = () -> {
				client.closeTransport(CloseReason.SLOW_CONSUMER);
				forget(client);
			};
			try {
				// Closing may block on the transport: never on the publisher's thread.
				this.writerExecutor.execute(disconnect);
			}
			catch (RejectedExecutionException ex) {
				// The executor is shutting down: better to close here than to leave the
				// client registered with no one to close it.
				disconnect.run();
			}
		}
	}

	void writeFailed(Client client, Throwable failure) {
		client.closeNow(CloseReason.GOING_AWAY);
		forget(client);
	}

	void closed(Client client) {
		forget(client);
	}

	// Internals

	/**
	 * Join a presence channel as a member, or as a watcher ({@code member} {@code null}: a
	 * subscriber outside the roster), through the presence directory when there is one.
	 */
	private Joined joinPresence(Client client, String channel, ChannelType type, @Nullable Member member,
			boolean confirm) {
		PresenceDirectory directory = this.presenceDirectory;
		if (directory == null) {
			return join(client, channel, type, member, confirm, null, null);
		}
		List<Member> clusterRoster = (member != null)
				? directory.join(channel, member, client.id(), this.config.maxPresenceMembers())
				: directory.observe(channel, client.id());
		if (member != null && clusterRoster != null && clusterRoster.isEmpty()) {
			// Full across the cluster: the directory counted and announced nothing.
			directory.joined(channel, client.id());
			return Joined.PRESENCE_FULL;
		}
		Joined outcome;
		try {
			outcome = join(client, channel, type, member, confirm, clusterRoster, null);
		}
		finally {
			directory.joined(channel, client.id());
		}
		if (outcome != Joined.SUBSCRIBED && member != null) {
			// The directory counted a connection that did not join: take it back.
			directory.leave(channel, member, client.id());
		}
		return outcome;
	}

	/**
	 * @param clusterRoster for presence joins decided by the {@link PresenceDirectory}: the
	 * roster to confirm with (the directory announces the member); {@code null} to confirm
	 * with the local roster and announce locally
	 */
	/**
	 * @param given a confirmation of the caller's own, queued as a subscription's is (see
	 * {@link #joinLocked}); for joins that send no subscription confirmation
	 */
	private Joined join(Client client, String channel, ChannelType type, @Nullable Member member, boolean confirm,
			@Nullable List<Member> clusterRoster, @Nullable Frame given) {
		Joined[] outcome = new Joined[1];
		Frame[] deferred = new Frame[1];
		boolean heldUntilLive = false;
		client.hold();
		try {
			joinLocked(client, channel, type, member, confirm, clusterRoster, given, outcome, deferred);
			if (deferred[0] != null) {
				// Encode the roster here, outside the channel's lock and before the writer may
				// take it: the writer may be an event loop serving many other connections.
				deferred[0].resolve();
			}
			if (outcome[0] == Joined.SUBSCRIBED) {
				heldUntilLive = releaseWhenLive(client, channel);
			}
		}
		finally {
			if (!heldUntilLive) {
				client.release();
			}
		}
		notifyPresence();
		return outcome[0];
	}

	/**
	 * Keep the client's hold until every channel listener says the channel is live (see
	 * {@link ChannelListener#whenLive}), without blocking this thread.
	 * @return {@code true} if the hold is released later, by the listeners' stages
	 */
	private boolean releaseWhenLive(Client client, String channel) {
		List<CompletableFuture<?>> pending = null;
		for (ChannelListener listener : this.channelListeners) {
			try {
				CompletionStage<?> stage = listener.whenLive(channel);
				if (stage != null) {
					CompletableFuture<?> future = stage.toCompletableFuture();
					if (!future.isDone()) {
						if (pending == null) {
							pending = new ArrayList<>(1);
						}
						pending.add(future);
					}
				}
			}
			catch (RuntimeException ex) {
				// A listener must not break the hub or the other listeners.
			}
		}
		if (pending == null) {
			return false;
		}
		CompletableFuture<?> all = (pending.size() == 1) ? pending.get(0)
				: CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
		all.whenComplete((ignored, failure) -> client.release());
		return true;
	}

	private void joinLocked(Client client, String channel, ChannelType type, @Nullable Member member,
			boolean confirm, @Nullable List<Member> clusterRoster, @Nullable Frame given, Joined[] outcome,
			Frame[] deferred) {
		this.channels.compute(channel, (name, existing) -> {
			Channel target = (existing != null) ? existing : new Channel(name, type, this.config.maxPresenceMembers());
			PresenceRoster roster = target.roster();
			if (!client.addChannel(name, member)) {
				outcome[0] = Joined.ALREADY_SUBSCRIBED;
				queue(client, given);
				if (confirm) {
					queue(client, (roster != null) ? (deferred[0] = confirmPresence(name, roster.members()))
							: encode(() -> this.frames.subscribed(name, null)));
				}
				return target;
			}
			// Re-checked after recording the channel on the client: forget() marks the client
			// closed before reading its channels, so one of the two always sees the other.
			if (!client.isOpen()) {
				client.removeChannel(name);
				outcome[0] = Joined.CLIENT_CLOSED;
				return target.isEmpty() ? null : target;
			}
			Frame confirmation = given;
			if (roster != null && member == null) {
				// A watcher: confirmed with the roster it is not part of.
				if (confirm) {
					confirmation = confirmPresence(name, (clusterRoster != null) ? clusterRoster : roster.members());
					deferred[0] = confirmation;
				}
			}
			else if (roster != null) {
				Boolean added = roster.join(member);
				if (added == null) {
					client.removeChannel(name);
					outcome[0] = Joined.PRESENCE_FULL;
					return target.isEmpty() ? null : target;
				}
				if (added) {
					if (clusterRoster == null) {
						// Before the newcomer is added: the others hear of it, it does not.
						fanOut(target, encode(() -> this.frames.memberAdded(name, member)));
					}
					queuePresence(type, new PresenceEvent(name, true, member));
				}
				if (confirm) {
					confirmation = confirmPresence(name, (clusterRoster != null) ? clusterRoster : roster.members());
					deferred[0] = confirmation;
				}
			}
			else if (confirm) {
				confirmation = encode(() -> this.frames.subscribed(name, null));
			}
			// Confirmed under the channel's lock, so that it comes before any member event of
			// a later join; sent only after the channel map shows the client (the caller holds
			// the client's writer until then). A presence roster is encoded later, by the
			// writer (see confirmPresence).
			queue(client, confirmation);
			target.add(client);
			if (existing == null) {
				notifyChannel(name, true);
			}
			outcome[0] = Joined.SUBSCRIBED;
			return target;
		});
	}

	private boolean leave(Client client, String channel) {
		boolean[] left = new boolean[1];
		this.channels.computeIfPresent(channel, (name, target) -> {
			Member member = client.member(name);
			client.removeChannel(name);
			if (!target.remove(client)) {
				return target;
			}
			left[0] = true;
			PresenceRoster roster = target.roster();
			if (roster != null && member != null) {
				boolean announced = this.presenceDirectory != null
						&& this.presenceDirectory.leave(name, member, client.id());
				Member gone = roster.leave(member.id());
				if (gone != null) {
					if (!announced) {
						fanOut(target, encode(() -> this.frames.memberRemoved(name, gone)));
					}
					queuePresence(target.type(), new PresenceEvent(name, false, gone));
				}
			}
			if (target.isEmpty()) {
				notifyChannel(name, false);
				return null;
			}
			return target;
		});
		notifyPresence();
		return left[0];
	}

	/** Leave every channel and drop the client from the registry, exactly once. */
	private void forget(Client client) {
		if (!this.clients.remove(client.id(), client)) {
			return;
		}
		if (this.closed.get()) {
			// close() tears the channels down in one pass: leaving one by one would copy a
			// channel's subscriber array once per subscriber, quadratic in its size.
			return;
		}
		for (String channel : client.channels()) {
			leave(client, channel);
		}
	}

	/**
	 * Empty a channel at shutdown, under its bin: the presence directory and the presence
	 * and channel listeners hear every member and the channel leave, as if each subscriber
	 * had left; the subscribers, all closing, are sent nothing.
	 */
	private void tearDown(Channel target) {
		String name = target.name();
		PresenceRoster roster = target.roster();
		for (Client client : target.subscribers()) {
			Member member = client.member(name);
			client.removeChannel(name);
			if (roster != null && member != null) {
				if (this.presenceDirectory != null) {
					this.presenceDirectory.leave(name, member, client.id());
				}
				Member gone = roster.leave(member.id());
				if (gone != null) {
					queuePresence(target.type(), new PresenceEvent(name, false, gone));
				}
			}
		}
		notifyChannel(name, false);
	}

	private void fanOut(Channel target, @Nullable Frame frame) {
		if (frame == null) {
			return;
		}
		for (Client client : target.subscribers()) {
			client.deliver(frame);
		}
	}

	/**
	 * Build one of the hub's own frames. Called while the channel's state is half changed,
	 * or on a writer: a failing encoder must not abort the change (a roster entry or
	 * subscription would be left behind) nor the writer, so its frame is skipped and the
	 * failure logged.
	 */
	private static @Nullable Frame encode(Supplier<@Nullable Frame> encoder) {
		try {
			return encoder.get();
		}
		catch (RuntimeException ex) {
			logger.log(System.Logger.Level.WARNING, "ChannelFrames failed, frame not sent", ex);
			return null;
		}
	}

	/**
	 * The confirmation of a presence join, with a roster taken under the channel's lock
	 * (an immutable snapshot) but encoded by the newcomer's writer when it takes the frame:
	 * encoding is O(members), and under the lock it would stall every other join, leave and
	 * member event of the channel. The frame's place in the outbox is what orders it before
	 * the member events and broadcasts that follow the join.
	 */
	private Frame confirmPresence(String channel, List<Member> roster) {
		return Frame.deferred(() -> encode(() -> this.frames.subscribed(channel, roster)));
	}

	private static void queue(Client client, @Nullable Frame frame) {
		if (frame != null) {
			client.deliver(frame);
		}
	}

	private void notifyChannel(String channel, boolean occupied) {
		for (ChannelListener listener : this.channelListeners) {
			try {
				if (occupied) {
					listener.occupied(channel);
				}
				else {
					listener.vacated(channel);
				}
			}
			catch (RuntimeException ex) {
				// A listener must not break the hub or the other listeners.
			}
		}
	}

	private void queuePresence(ChannelType type, PresenceEvent event) {
		if (!this.presenceListeners.isEmpty() && !type.isInternal()) {
			this.presenceEvents.add(event);
		}
	}

	/**
	 * Tell the listeners the queued events, one thread at a time: events are queued under
	 * their channel's lock, so telling them in queue order keeps a member's join before
	 * its leave even when two threads changed the roster one right after the other.
	 */
	private void notifyPresence() {
		if (this.presenceEvents.isEmpty() || this.presenceNotifying.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		try {
			do {
				PresenceEvent event;
				while ((event = this.presenceEvents.poll()) != null) {
					for (PresenceListener listener : this.presenceListeners) {
						try {
							listener.onPresence(event);
						}
						catch (RuntimeException ex) {
							// A listener must not break the hub or the other listeners.
						}
					}
				}
				missed = this.presenceNotifying.addAndGet(-missed);
			}
			while (missed != 0);
		}
		catch (Error ex) {
			// Let the next change tell what is still queued rather than nobody ever again.
			this.presenceNotifying.set(0);
			throw ex;
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new HubClosedException();
		}
	}

	private ScheduledExecutorService startWatchdog(long timeoutNanos) {
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.factory("realtime-send-watchdog"));
		long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(timeoutNanos / 4, TimeUnit.SECONDS.toNanos(1)));
		int scans = (int) Math.max(1, (timeoutNanos + period - 1) / period);
		scheduler.scheduleAtFixedRate(() -> closeStuckWriters(scans), period, period, TimeUnit.NANOSECONDS);
		return scheduler;
	}

	/** A write still in progress after this many consecutive scans has hit the send timeout. */
	private void closeStuckWriters(int scans) {
		List<Client> stuck = new ArrayList<>();
		for (Client client : this.clients.values()) {
			if (client.writeStalledFor(scans)) {
				stuck.add(client);
			}
		}
		for (Client client : stuck) {
			try {
				client.closeNow(CloseReason.SEND_TIMEOUT);
				forget(client);
			}
			catch (RuntimeException ex) {
				// A scheduled task that throws is never run again: the watchdog must survive
				// whatever a transport or frame encoder throws for one client.
			}
		}
	}

}
