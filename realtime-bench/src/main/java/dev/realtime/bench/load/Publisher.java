package dev.realtime.bench.load;

/**
 * Publishes {@code rate} messages per second for {@code seconds} seconds, round-robin over
 * the channels {@code bench-0} to {@code bench-(channels-1)}; message {@code i} goes to
 * channel {@code i % channels} with sequence number {@code first + i / channels}. Each round
 * starts its sequence numbers above the previous round's, so that a late delivery from an
 * earlier round is recognized and not counted. Returns when done.
 */
public interface Publisher {

	/**
	 * Publish and wait until the last message is out.
	 * @param channels how many channels
	 * @param rate messages per second, over all channels
	 * @param seconds how long
	 * @param first the first sequence number on each channel
	 * @return what was published
	 * @throws Exception if publishing failed
	 */
	Published publish(int channels, int rate, int seconds, long first) throws Exception;

	/**
	 * What a publisher did.
	 * @param messages messages published
	 * @param elapsedMillis how long it took
	 */
	record Published(long messages, long elapsedMillis) {

		/**
		 * The messages published to one channel.
		 * @param channel the channel index
		 * @param channels how many channels
		 * @return the count
		 */
		public long toChannel(int channel, int channels) {
			return this.messages / channels + ((channel < this.messages % channels) ? 1 : 0);
		}

		/**
		 * The achieved rate.
		 * @return messages per second
		 */
		public double rate() {
			return this.messages * 1000.0 / Math.max(1, this.elapsedMillis);
		}

	}

}
