package dev.realtime.http;

import java.time.Duration;

/**
 * Limits of the HTTP API.
 *
 * @param maxPayloadSize largest {@code data} of one event, in bytes (UTF-8)
 * @param maxChannelsPerEvent most channels one event may name
 * @param maxBatchSize most events in one {@code batch_events} request
 * @param timestampTolerance how far {@code auth_timestamp} may be from the server's clock
 */
public record HttpApiSettings(int maxPayloadSize, int maxChannelsPerEvent, int maxBatchSize,
		Duration timestampTolerance) {

	/** Pusher's limits: 10 KB of data, 100 channels per event, 10 events per batch, 600 s. */
	public static final HttpApiSettings DEFAULTS = new HttpApiSettings(10 * 1024, 100, 10, Duration.ofSeconds(600));

	public HttpApiSettings {
		if (maxPayloadSize < 1 || maxChannelsPerEvent < 1 || maxBatchSize < 1) {
			throw new IllegalArgumentException("HTTP API limits must be positive");
		}
	}

	/**
	 * The largest request body accepted before any parsing: a full batch of events at the
	 * payload limit, with room for names, channels and JSON escaping.
	 * @return the size in bytes
	 */
	public long maxBodySize() {
		return (long) this.maxBatchSize * (2L * this.maxPayloadSize + this.maxChannelsPerEvent * 210L + 1024);
	}

}
