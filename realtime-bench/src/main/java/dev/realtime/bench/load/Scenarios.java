package dev.realtime.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The scenarios, each bounded in connections, rate and time. A round publishes at a fixed
 * rate, waits for the deliveries to drain, and accounts for every expected delivery.
 */
final class Scenarios {

	/** A round stops counting as sustained above this p99. */
	static final double MAX_P99_MILLIS = 100;

	private final Settings settings;

	/** The next round's first sequence number: above every earlier round's. */
	private long nextFirst;

	int loopThreads() {
		return this.settings.loopThreads();
	}

	private final List<String> included;

	private final java.nio.file.Path work;

	private long[] ladder = DEFAULT_LADDER;

	/** Replace the rising rates (deliveries per second), e.g. to compare builds at one rate. */
	void ladder(long[] ladder) {
		this.ladder = ladder;
	}

	/**
	 * Something measured beside the servers over every round: the engine several nodes
	 * share (its CPU and commands), which is not one of the servers.
	 */
	interface RoundWatcher {

		/** The round starts publishing. */
		void started() throws Exception;

		/** The round is drained and accounted for. */
		void finished(Results.Round round) throws Exception;

	}

	private RoundWatcher watcher;

	/** Measure {@code watcher} over the rounds from now on ({@code null}: nothing more). */
	void watch(RoundWatcher watcher) {
		this.watcher = watcher;
	}

	Scenarios(Settings settings, List<String> included, java.nio.file.Path work) {
		this.settings = settings;
		this.work = work;
		this.included = included;
	}

	boolean includes(String scenario) {
		return this.included.contains(scenario);
	}

	/** How big and how long. */
	record Settings(int fanoutSubscribers, int idleConnections, int idleChannels, int roundSeconds,
			int churnSubscribers, int churnMessageRate, int churnJoinsPerSecond, int churnSeconds, int loopThreads) {

		static Settings full() {
			return new Settings(1000, 10_000, 1000, 5, 500, 100, 200, 10, 1);
		}

		static Settings quick() {
			return new Settings(200, 1000, 100, 2, 100, 50, 20, 3, 1);
		}

	}

	/** Target deliveries per second for the rising-rate searches. */
	static final long[] DEFAULT_LADDER = { 10_000, 25_000, 50_000, 75_000, 100_000, 140_000, 200_000, 280_000, 400_000 };

	/**
	 * Connect {@code subscribers} to one channel, warm up, then raise the rate until a round
	 * is not sustained; then run once more at half the best rate.
	 */
	Results.Ladder fanout(String label, IntFunction<Protocol> protocolForSubscriber, Publisher publisher,
			ServerProcess[] servers, SubscriberPool pool) throws Exception {
		return fanout(label, protocolForSubscriber, publisher, servers, pool, 3);
	}

	/** {@link #fanout} after a warm-up of {@code warmUpSeconds} (newly started nodes beside a warm one). */
	Results.Ladder fanout(String label, IntFunction<Protocol> protocolForSubscriber, Publisher publisher,
			ServerProcess[] servers, SubscriberPool pool, int warmUpSeconds) throws Exception {
		int subscribers = this.settings.fanoutSubscribers();
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < subscribers; i++) {
			channels.add("bench-0");
		}
		Results.Ladder ladder = new Results.Ladder(label, 1, subscribers);
		long start = System.nanoTime();
		Histogram connect = connectSpread(pool, protocolForSubscriber, channels);
		ladder.connect = connectSummary(subscribers, start, connect);
		climb(ladder, 1, publisher, servers, pool, warmUpSeconds);
		return ladder;
	}

	/**
	 * Connect {@code idleConnections} subscribers over {@code idleChannels} channels and
	 * measure their memory, leaving them connected.
	 */
	Results.Idle idle(Protocol protocol, ServerProcess server, SubscriberPool pool) throws Exception {
		long heapBefore = server.heapAfterGc();
		long rssBefore = server.rss();
		server.writeClassHistogram(this.work.resolve(server.name() + "-before-idle-histogram.txt"));
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < this.settings.idleConnections(); i++) {
			channels.add("bench-" + (i % this.settings.idleChannels()));
		}
		long start = System.nanoTime();
		Histogram connect = pool.connect(protocol, channels);
		double seconds = (System.nanoTime() - start) / 1e9;
		Thread.sleep(2000);
		long heapAfter = server.heapAfterGc();
		long rssAfter = server.rss();
		server.writeClassHistogram(this.work.resolve(server.name() + "-idle-histogram.txt"));
		int n = channels.size();
		return new Results.Idle(n, seconds, connect.getValueAtPercentile(50) / 1000.0,
				connect.getValueAtPercentile(99) / 1000.0, (heapBefore < 0) ? -1 : (heapAfter - heapBefore) / n,
				(rssAfter - rssBefore) / n);
	}

	/** The rising-rate search over the subscribers {@link #idle} left connected. */
	Results.Ladder channels(Publisher publisher, ServerProcess server, SubscriberPool pool) throws Exception {
		int channelCount = this.settings.idleChannels();
		Results.Ladder ladder = new Results.Ladder(channelCount + " channels x "
				+ (this.settings.idleConnections() / channelCount) + " subscribers", channelCount, pool.size());
		climb(ladder, channelCount, publisher, new ServerProcess[] { server }, pool);
		return ladder;
	}

	/**
	 * The workload of most Pusher applications: {@code idleConnections} subscribers over
	 * {@code idleChannels} channels (1,000 x 10 in full), each event one request from the
	 * generator through the server's own publish API (for realtime the signed HTTP API), with
	 * the rising-rate search. Closes the subscribers when done.
	 */
	Results.Ladder httpChannels(String how, Protocol protocol, Publisher publisher, ServerProcess server,
			SubscriberPool pool) throws Exception {
		return httpChannels(how, (i) -> protocol, publisher, new ServerProcess[] { server }, pool);
	}

	/**
	 * {@link #httpChannels} over several nodes: subscriber {@code i} connects where
	 * {@code protocolForSubscriber} says, and the server CPU is all the nodes'.
	 */
	Results.Ladder httpChannels(String how, IntFunction<Protocol> protocolForSubscriber, Publisher publisher,
			ServerProcess[] servers, SubscriberPool pool) throws Exception {
		int channelCount = this.settings.idleChannels();
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < this.settings.idleConnections(); i++) {
			channels.add("bench-" + (i % channelCount));
		}
		Results.Ladder ladder = new Results.Ladder(channelCount + " x " + (channels.size() / channelCount) + ", " + how,
				channelCount, channels.size());
		long start = System.nanoTime();
		Histogram connect = connectSpread(pool, protocolForSubscriber, channels);
		ladder.connect = connectSummary(channels.size(), start, connect);
		// Longer than the in-process scenarios' warm-up: a request's path through the
		// servlet stack takes more than 3,000 requests to be compiled, and the rounds after
		// a short warm-up measured the JIT as much as the server (BENCHMARKS.md).
		climb(ladder, channelCount, publisher, servers, pool, HTTP_WARM_UP_SECONDS);
		return ladder;
	}

	/** Warm-up of the HTTP API scenario, at 1,000 requests/s in full mode. */
	private static final int HTTP_WARM_UP_SECONDS = 15;

	/**
	 * Broadcast to steady subscribers while others join and leave a channel at a fixed rate
	 * (each stays one second).
	 */
	Results.Churn churn(Protocol protocol, String churnChannel, Publisher publisher, ServerProcess server,
			SubscriberPool pool) throws Exception {
		connectSteady((i) -> protocol, pool);
		settle();
		warmUp(publisher, 1);
		return churnRound((i) -> protocol, churnChannel, this.settings.churnJoinsPerSecond(), publisher,
				new ServerProcess[] { server }, pool);
	}

	/** The join rates of {@link #presenceJoins}. */
	static final int[] JOIN_LADDER = { 100, 200, 400, 800, 1600, 3200 };

	/**
	 * Presence joins at a rising rate while broadcasting to the steady subscribers: each
	 * join is a new connection that signs its presence subscription, is answered with the
	 * roster and announced to every member, and leaves after a second. A round is sustained
	 * when every join succeeded with a join p99 of at most 100 ms and the broadcast lost
	 * nothing; the ladder goes on past that until joins fail, the broadcast loses anything or
	 * the join p99 passes a second. Join {@code i} connects where {@code protocolForJoin}
	 * says (several nodes).
	 * @return the rounds
	 */
	List<Results.Churn> presenceJoins(IntFunction<Protocol> protocolForJoin, String channel, Publisher publisher,
			ServerProcess[] servers, SubscriberPool pool) throws Exception {
		connectSteady(protocolForJoin, pool);
		settle();
		warmUp(publisher, 1);
		// The join path (handshake, signature, roster) compiled before anything is measured.
		churnRound(protocolForJoin, channel, JOIN_LADDER[0], publisher, servers, pool);
		Thread.sleep(2000);
		List<Results.Churn> rounds = new ArrayList<>();
		for (int rate : JOIN_LADDER) {
			Results.Churn round = churnRound(protocolForJoin, channel, rate, publisher, servers, pool);
			rounds.add(round);
			System.out.printf("  presence joins %5d/s: %d joined, %d failed, join p50 %.1f p99 %.1f ms, broadcast lost %d%n",
					rate, round.joins(), round.failedJoins(), round.join().p50(), round.join().p99(),
					round.broadcast().lost());
			// Past the first unsustained round while it still says something: until joins
			// fail, anything is lost or the p99 passes a second.
			if (round.failedJoins() > 0 || round.broadcast().lost() > 0 || round.join().p99() > 1000) {
				break;
			}
			Thread.sleep(2000);
		}
		return rounds;
	}

	private void connectSteady(IntFunction<Protocol> protocolFor, SubscriberPool pool) throws Exception {
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < this.settings.churnSubscribers(); i++) {
			channels.add("bench-0");
		}
		connectSpread(pool, protocolFor, channels);
	}

	private Results.Churn churnRound(IntFunction<Protocol> protocolForJoin, String churnChannel, int joinsPerSecond,
			Publisher publisher, ServerProcess[] servers, SubscriberPool pool) throws Exception {
		int seconds = this.settings.churnSeconds();
		Recorder joinTimes = new Recorder(TimeUnit.SECONDS.toMicros(120), 3);
		AtomicLong joined = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		List<CompletableFuture<?>> churners = new ArrayList<>();
		Thread churner = new Thread(() -> {
			long period = TimeUnit.SECONDS.toNanos(1) / joinsPerSecond;
			long begin = System.nanoTime();
			for (int i = 0; i < joinsPerSecond * seconds; i++) {
				long wait = begin + i * period - System.nanoTime();
				if (wait > 0) {
					java.util.concurrent.locks.LockSupport.parkNanos(wait);
				}
				long opened = System.nanoTime();
				churners.add(pool.open(protocolForJoin.apply(i), churnChannel).whenComplete((subscriber, failure) -> {
					if (failure != null) {
						failed.incrementAndGet();
						return;
					}
					joined.incrementAndGet();
					joinTimes.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - opened));
					subscriber.channel().eventLoop().schedule(() -> subscriber.channel().close(), 1, TimeUnit.SECONDS);
				}));
			}
		}, "churn");
		churner.start();
		Results.Round round = round(1, this.settings.churnMessageRate(), publisher, servers, pool, seconds);
		churner.join();
		for (CompletableFuture<?> future : churners) {
			try {
				future.get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				// counted as failed already
			}
		}
		return new Results.Churn(joinsPerSecond, joined.get(), failed.get(),
				Results.Latency.of(joinTimes.getIntervalHistogram()), round);
	}


	private Histogram connectSpread(SubscriberPool pool, IntFunction<Protocol> protocols, List<String> channels)
			throws Exception {
		Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
		Map<Protocol, List<String>> byProtocol = new java.util.LinkedHashMap<>();
		for (int i = 0; i < channels.size(); i++) {
			byProtocol.computeIfAbsent(protocols.apply(i), (p) -> new ArrayList<>()).add(channels.get(i));
		}
		for (Map.Entry<Protocol, List<String>> entry : byProtocol.entrySet()) {
			all.add(pool.connect(entry.getKey(), entry.getValue()));
		}
		return all;
	}

	private static String connectSummary(int n, long startNanos, Histogram connect) {
		return String.format("%d in %.1f s (p50 %.1f ms, p99 %.1f ms)", n, (System.nanoTime() - startNanos) / 1e9,
				connect.getValueAtPercentile(50) / 1000.0, connect.getValueAtPercentile(99) / 1000.0);
	}

	private void climb(Results.Ladder ladder, int channels, Publisher publisher, ServerProcess[] servers,
			SubscriberPool pool) throws Exception {
		climb(ladder, channels, publisher, servers, pool, 3);
	}

	private void climb(Results.Ladder ladder, int channels, Publisher publisher, ServerProcess[] servers,
			SubscriberPool pool, int warmUpSeconds) throws Exception {
		settle();
		warmUp(publisher, channels, warmUpSeconds);
		int subscribers = pool.size();
		for (long target : this.ladder) {
			int rate = (int) Math.max(1, target / subscribers * channels);
			Results.Round round = round(channels, rate, publisher, servers, pool, this.settings.roundSeconds());
			ladder.rounds.add(round);
			log(ladder.label, round);
			if (!round.sustained()) {
				break;
			}
			ladder.best = round;
		}
		if (ladder.best != null) {
			int half = Math.max(1, ladder.best.messageRate() / 2);
			ladder.half = round(channels, half, publisher, servers, pool, this.settings.roundSeconds());
			log(ladder.label + " (half)", ladder.half);
		}
	}

	private static void log(String label, Results.Round round) {
		System.out.printf("  %-28s rate %6d msg/s: %9.0f deliveries/s, lost %d, dup %d, reordered %d, p50 %.2f p99 %.2f p99.9 %.2f max %.1f ms, cpu gen %.0f%% server %.0f%% (%.1f us/delivery, %.0f B/delivery on the wire)%s%n",
				label, round.messageRate(), round.deliveriesPerSecond(), round.lost(), round.duplicates(),
				round.reordered(), round.latency().p50(), round.latency().p99(), round.latency().p999(),
				round.latency().max(), round.generatorCpu(), round.serverCpu(), round.serverMicrosPerDelivery(),
				round.wireBytesPerDelivery(), round.sustained() ? "" : "  <- " + round.failure());
	}

	/** Let subscriptions settle (STOMP confirms none) and the server finish its work. */
	private static void settle() throws InterruptedException {
		Thread.sleep(1500);
	}

	private void warmUp(Publisher publisher, int channels) throws Exception {
		warmUp(publisher, channels, 3);
	}

	private void warmUp(Publisher publisher, int channels, int seconds) throws Exception {
		int rate = Math.max(50, channels);
		publisher.publish(channels, rate, seconds, firstOfRound(channels, rate, seconds));
		Thread.sleep(1000);
	}

	private long firstOfRound(int channels, int rate, int seconds) {
		long first = this.nextFirst;
		this.nextFirst += (long) rate * seconds / channels + 1;
		return first;
	}

	Results.Round round(int channels, int rate, Publisher publisher, ServerProcess[] servers, SubscriberPool pool,
			int seconds) throws Exception {
		long first = firstOfRound(channels, rate, seconds);
		pool.reset(first);
		long serverCpu0 = cpu(servers);
		long selfCpu0 = ServerProcess.selfCpuMillis();
		if (this.watcher != null) {
			this.watcher.started();
		}
		long start = System.nanoTime();
		Publisher.Published published = publisher.publish(channels, rate, seconds, first);
		long publishedAt = System.nanoTime();
		Tally subscribersOnly = pool.tally();
		long expected = 0;
		for (Map.Entry<String, Integer> entry : subscribersOnly.subscribersPerChannel.entrySet()) {
			int channel = Integer.parseInt(entry.getKey().substring(entry.getKey().lastIndexOf('-') + 1));
			expected += entry.getValue() * published.toChannel(channel, channels);
		}
		// drain: until all expected arrived, or no progress for a second (at most 10 s)
		long last = -1;
		long lastProgress = System.nanoTime();
		long drainDeadline = publishedAt + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < drainDeadline) {
			long now = pool.uniqueDeliveries();
			if (now >= expected) {
				break;
			}
			if (now != last) {
				last = now;
				lastProgress = System.nanoTime();
			}
			else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(1)) {
				break;
			}
			Thread.sleep(20);
		}
		long end = System.nanoTime();
		double wallMillis = (end - start) / 1e6;
		double generatorCpu = (ServerProcess.selfCpuMillis() - selfCpu0) * 100.0 / wallMillis;
		long serverCpuMillis = cpu(servers) - serverCpu0;
		double serverCpu = serverCpuMillis * 100.0 / wallMillis;
		long wireBytes = pool.wireBytes();
		Tally tally = pool.tally();
		Results.Latency latency = Results.Latency.of(pool.latencies());
		double deliveriesPerSecond = tally.unique * 1000.0 / (published.elapsedMillis() + (end - publishedAt) / 1e6);
		String failure = null;
		if (tally.unique < expected) {
			failure = "lost " + (expected - tally.unique);
		}
		else if (latency.p99() > MAX_P99_MILLIS) {
			failure = "p99 > " + (int) MAX_P99_MILLIS + " ms";
		}
		else if (published.rate() < rate * 0.95) {
			failure = String.format("publisher reached %.0f msg/s", published.rate());
		}
		Results.Round result = new Results.Round(rate, (long) rate * pool.size() / channels, published, expected,
				tally.unique, tally.duplicates, tally.reordered, deliveriesPerSecond, latency, generatorCpu, serverCpu,
				serverCpuMillis, wireBytes, failure);
		if (this.watcher != null) {
			this.watcher.finished(result);
		}
		return result;
	}

	private static long cpu(ServerProcess[] servers) throws Exception {
		long total = 0;
		for (ServerProcess server : servers) {
			total += server.cpuMillis();
		}
		return total;
	}

}
