package dev.realtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The hub's settings: immutable, built with {@link #builder()}.
 */
public final class HubConfig {

	/** Default outbox size per connection. */
	public static final int DEFAULT_OUTBOX_CAPACITY = 64;

	/** Default most members of one presence channel. */
	public static final int DEFAULT_MAX_PRESENCE_MEMBERS = 100;

	/** Default most frames written per flush. */
	public static final int DEFAULT_FRAMES_PER_WRITE = 16;

	/** Default longest a single write may block before the connection is closed. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

	/** Default longest {@link Hub#close()} waits for outboxes to flush. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private static final HubConfig DEFAULTS = builder().build();

	private final int outboxCapacity;

	private final SlowConsumerPolicy slowConsumerPolicy;

	private final int maxPresenceMembers;

	private final int framesPerWrite;

	private final Duration sendTimeout;

	private final Duration shutdownTimeout;

	private final @Nullable Executor writerExecutor;

	private final ChannelFrames channelFrames;

	private final Supplier<String> socketIds;

	private final @Nullable PresenceDirectory presenceDirectory;

	private final @Nullable OutboxWaitRecorder outboxWaitRecorder;

	private HubConfig(Builder builder) {
		this.outboxCapacity = builder.outboxCapacity;
		this.slowConsumerPolicy = builder.slowConsumerPolicy;
		this.maxPresenceMembers = builder.maxPresenceMembers;
		this.framesPerWrite = builder.framesPerWrite;
		this.sendTimeout = builder.sendTimeout;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.writerExecutor = builder.writerExecutor;
		this.channelFrames = builder.channelFrames;
		this.socketIds = (builder.socketIds != null) ? builder.socketIds : new SocketIds();
		this.presenceDirectory = builder.presenceDirectory;
		this.outboxWaitRecorder = builder.outboxWaitRecorder;
	}

	/**
	 * The default settings.
	 * @return the defaults
	 */
	public static HubConfig defaults() {
		return DEFAULTS;
	}

	/**
	 * A builder starting from the defaults.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Most frames queued per connection before the slow-consumer policy applies.
	 * @return the capacity
	 */
	public int outboxCapacity() {
		return this.outboxCapacity;
	}

	/**
	 * What happens when an outbox is full.
	 * @return the policy
	 */
	public SlowConsumerPolicy slowConsumerPolicy() {
		return this.slowConsumerPolicy;
	}

	/**
	 * Most members (distinct users) of one presence channel.
	 * @return the limit
	 */
	public int maxPresenceMembers() {
		return this.maxPresenceMembers;
	}

	/**
	 * Most frames a writer takes from an outbox for one write and flush.
	 * @return the batch size
	 */
	public int framesPerWrite() {
		return this.framesPerWrite;
	}

	/**
	 * Longest a write may block before the connection is closed; zero disables the check.
	 * @return the timeout
	 */
	public Duration sendTimeout() {
		return this.sendTimeout;
	}

	/**
	 * Longest {@link Hub#close()} waits for connections to flush their outboxes.
	 * @return the timeout
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Runs the outbox writers; {@code null} lets the hub make its own (a fork-join pool
	 * that adds a thread when a send blocks).
	 * @return the executor, or {@code null}
	 */
	public @Nullable Executor writerExecutor() {
		return this.writerExecutor;
	}

	/**
	 * Encodes the frames the hub sends by itself.
	 * @return the frames
	 */
	public ChannelFrames channelFrames() {
		return this.channelFrames;
	}

	/**
	 * Makes socket ids.
	 * @return the generator
	 */
	public Supplier<String> socketIds() {
		return this.socketIds;
	}

	/**
	 * Decides presence membership across nodes; {@code null} (the default) lets the hub's own
	 * rosters decide, as on a single node.
	 * @return the directory, or {@code null}
	 */
	public @Nullable PresenceDirectory presenceDirectory() {
		return this.presenceDirectory;
	}

	/**
	 * What is told how long sampled frames waited in outboxes.
	 * @return the recorder, or {@code null} to measure nothing
	 */
	public @Nullable OutboxWaitRecorder outboxWaitRecorder() {
		return this.outboxWaitRecorder;
	}

	/**
	 * A builder holding these settings, to derive a configuration that differs in a few
	 * (the hub of another app, say). It keeps the socket id generator, so socket ids stay
	 * unique across the hubs built from it.
	 * @return a builder with these settings
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.outboxCapacity = this.outboxCapacity;
		builder.slowConsumerPolicy = this.slowConsumerPolicy;
		builder.maxPresenceMembers = this.maxPresenceMembers;
		builder.framesPerWrite = this.framesPerWrite;
		builder.sendTimeout = this.sendTimeout;
		builder.shutdownTimeout = this.shutdownTimeout;
		builder.writerExecutor = this.writerExecutor;
		builder.channelFrames = this.channelFrames;
		builder.socketIds = this.socketIds;
		builder.presenceDirectory = this.presenceDirectory;
		builder.outboxWaitRecorder = this.outboxWaitRecorder;
		return builder;
	}

	/**
	 * Builds a {@link HubConfig}.
	 */
	public static final class Builder {

		private int outboxCapacity = DEFAULT_OUTBOX_CAPACITY;

		private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.DROP_MESSAGE;

		private int maxPresenceMembers = DEFAULT_MAX_PRESENCE_MEMBERS;

		private int framesPerWrite = DEFAULT_FRAMES_PER_WRITE;

		private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private @Nullable Executor writerExecutor;

		private ChannelFrames channelFrames = ChannelFrames.NONE;

		private @Nullable Supplier<String> socketIds;

		private @Nullable PresenceDirectory presenceDirectory;

		private @Nullable OutboxWaitRecorder outboxWaitRecorder;

		private Builder() {
		}

		/**
		 * Set the outbox capacity.
		 * @param capacity most queued frames per connection, at least 1
		 * @return this builder
		 */
		public Builder outboxCapacity(int capacity) {
			this.outboxCapacity = positive(capacity, "outboxCapacity");
			return this;
		}

		/**
		 * Set the slow-consumer policy.
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder slowConsumerPolicy(SlowConsumerPolicy policy) {
			this.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/**
		 * Set the most members of a presence channel.
		 * @param max the limit, at least 1
		 * @return this builder
		 */
		public Builder maxPresenceMembers(int max) {
			this.maxPresenceMembers = positive(max, "maxPresenceMembers");
			return this;
		}

		/**
		 * Set the most frames per write.
		 * @param frames at least 1
		 * @return this builder
		 */
		public Builder framesPerWrite(int frames) {
			this.framesPerWrite = positive(frames, "framesPerWrite");
			return this;
		}

		/**
		 * Set the send timeout.
		 * @param timeout the timeout, zero to disable
		 * @return this builder
		 */
		public Builder sendTimeout(Duration timeout) {
			this.sendTimeout = nonNegative(timeout, "sendTimeout");
			return this;
		}

		/**
		 * Set the shutdown timeout.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration timeout) {
			this.shutdownTimeout = nonNegative(timeout, "shutdownTimeout");
			return this;
		}

		/**
		 * Set the executor that runs the writers. The hub does not shut it down.
		 * @param executor the executor, or {@code null} for the hub's own
		 * @return this builder
		 */
		public Builder writerExecutor(@Nullable Executor executor) {
			this.writerExecutor = executor;
			return this;
		}

		/**
		 * Set the encoder of the hub's own frames.
		 * @param frames the encoder
		 * @return this builder
		 */
		public Builder channelFrames(ChannelFrames frames) {
			this.channelFrames = Objects.requireNonNull(frames, "frames");
			return this;
		}

		/**
		 * Set the socket id generator; ids must be unique across every node sharing a
		 * broadcaster.
		 * @param socketIds the generator
		 * @return this builder
		 */
		public Builder socketIds(Supplier<String> socketIds) {
			this.socketIds = Objects.requireNonNull(socketIds, "socketIds");
			return this;
		}

		/**
		 * Set where presence membership is decided when several nodes share a broadcaster.
		 * @param directory the directory, or {@code null} for the hub's own rosters
		 * @return this builder
		 */
		public Builder presenceDirectory(@Nullable PresenceDirectory directory) {
			this.presenceDirectory = directory;
			return this;
		}

		/**
		 * Measure how long frames wait in outboxes, on a sample (see
		 * {@link OutboxWaitRecorder}).
		 * @param recorder where the samples go, or {@code null} to measure nothing (no
		 * clock is read then)
		 * @return this builder
		 */
		public Builder outboxWaitRecorder(@Nullable OutboxWaitRecorder recorder) {
			this.outboxWaitRecorder = recorder;
			return this;
		}

		/**
		 * Build the configuration.
		 * @return the configuration
		 */
		public HubConfig build() {
			return new HubConfig(this);
		}

		private static int positive(int value, String name) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, was " + value);
			}
			return value;
		}

		private static Duration nonNegative(Duration value, String name) {
			Objects.requireNonNull(value, name);
			if (value.isNegative()) {
				throw new IllegalArgumentException(name + " must not be negative, was " + value);
			}
			return value;
		}

	}

}
