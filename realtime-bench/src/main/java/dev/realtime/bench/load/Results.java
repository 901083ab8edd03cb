package dev.realtime.bench.load;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * What the scenarios measured, per server.
 */
final class Results {

	private Results() {
	}

	/** Latency percentiles in milliseconds. */
	record Latency(double p50, double p99, double p999, double max) {

		static Latency of(Histogram micros) {
			return new Latency(micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
					micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0);
		}

	}

	/**
	 * One publishing round at a fixed rate.
	 * @param messageRate the messages per second asked for
	 * @param targetDeliveries deliveries per second asked for
	 * @param published what the publisher did
	 * @param expected deliveries expected (messages times subscribers of their channel)
	 * @param unique distinct deliveries
	 * @param duplicates repeated deliveries
	 * @param reordered deliveries older than one already received
	 * @param deliveriesPerSecond distinct deliveries over the publishing time plus the drain
	 * @param latency publish-to-receive latency
	 * @param generatorCpu the generator's CPU, percent of one core
	 * @param serverCpu the server's CPU, percent of one core
	 * @param serverCpuMillis the server's CPU time during the round
	 * @param wireBytes bytes the subscribers read from their sockets during the round
	 * @param failure why the round does not count as sustained, or {@code null}
	 */
	record Round(int messageRate, long targetDeliveries, Publisher.Published published, long expected, long unique,
			long duplicates, long reordered, double deliveriesPerSecond, Latency latency, double generatorCpu,
			double serverCpu, long serverCpuMillis, long wireBytes, String failure) {

		boolean sustained() {
			return this.failure == null;
		}

		long lost() {
			return this.expected - this.unique;
		}

		/**
		 * Server CPU time per distinct delivery, in microseconds: how much work a delivery
		 * costs, which a busy machine disturbs far less than it disturbs rates and latencies.
		 */
		double serverMicrosPerDelivery() {
			return (this.unique == 0) ? 0 : this.serverCpuMillis * 1000.0 / this.unique;
		}

		/**
		 * Bytes on the wire per distinct delivery (frame headers included): what
		 * permessage-deflate saves.
		 */
		double wireBytesPerDelivery() {
			return (this.unique == 0) ? 0 : (double) this.wireBytes / this.unique;
		}

	}

	/** A rising-rate search: the rounds, the best sustained one, one at half its rate. */
	static final class Ladder {

		final String label;

		final int channels;

		final int subscribers;

		final List<Round> rounds = new ArrayList<>();

		Round best;

		Round half;

		String connect;

		Ladder(String label, int channels, int subscribers) {
			this.label = label;
			this.channels = channels;
			this.subscribers = subscribers;
		}

	}

	/**
	 * Idle connections: their cost in memory.
	 * @param connections how many
	 * @param connectSeconds wall time to connect and subscribe them all
	 * @param connectP50 per-connection connect-to-subscribed p50, ms
	 * @param connectP99 per-connection connect-to-subscribed p99, ms
	 * @param heapPerConnection heap after GC per connection, bytes (-1 without a JVM)
	 * @param rssPerConnection resident memory per connection, bytes
	 */
	record Idle(int connections, double connectSeconds, double connectP50, double connectP99, long heapPerConnection,
			long rssPerConnection) {
	}

	/**
	 * Joins and leaves while broadcasting.
	 * @param joinsPerSecond joins (and as many leaves) per second asked for
	 * @param joins joins confirmed
	 * @param failedJoins joins that failed
	 * @param join join latency (connect to subscribed)
	 * @param broadcast the broadcast round that ran meanwhile
	 */
	record Churn(int joinsPerSecond, long joins, long failedJoins, Latency join, Round broadcast) {

		/** Every join made it within 100 ms at p99, and the broadcast lost nothing. */
		boolean sustained() {
			return this.failedJoins == 0 && this.join.p99() <= 100 && this.broadcast.lost() == 0;
		}

	}

	/** Everything measured on one server. */
	static final class Server {

		final String name;

		Ladder fanout;

		Idle idle;

		Ladder channels;

		/** The many channels again, each event one request from the generator (signed HTTP API for realtime). */
		Ladder httpChannels;

		Churn churn;

		/** realtime only: the same churn on a presence channel. */
		Churn presenceChurn;

		/** realtime only: presence joins at a rising rate ({@code presence-joins}). */
		List<Churn> presenceJoins;

		Ladder redis;

		final List<String> notes = new ArrayList<>();

		Server(String name) {
			this.name = name;
		}

	}

}
