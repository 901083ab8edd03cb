package dev.realtime.pusher;

import java.time.Duration;
import java.util.Objects;

/**
 * What one connection may do once admitted: how many channels it may hold, how many
 * messages of any kind it may send, and how soon it must prove who it is.
 *
 * @param maxChannels most channels one connection may be subscribed to at once
 * @param messageRate most messages (of any kind: subscribe, unsubscribe, ping, client
 * events, ...) per second one connection may send, on average
 * @param messageBurst most messages one connection may send at once, after a quiet while;
 * at least {@code maxChannels}, so that a reconnecting client can subscribe to all its
 * channels in one go
 * @param authorizationTimeout how soon a connection must sign in or join a private or
 * presence channel before it is closed with 4009; {@link Duration#ZERO} for never
 */
public record ConnectionLimits(int maxChannels, int messageRate, int messageBurst, Duration authorizationTimeout) {

	public ConnectionLimits {
		Objects.requireNonNull(authorizationTimeout, "authorizationTimeout");
		if (maxChannels < 1 || messageRate < 1 || messageBurst < 1) {
			throw new IllegalArgumentException("maxChannels, messageRate and messageBurst must be positive");
		}
		if (authorizationTimeout.isNegative()) {
			throw new IllegalArgumentException("authorizationTimeout must not be negative");
		}
	}

	/**
	 * The defaults: 100 channels, 20 messages per second with bursts of 200, no
	 * authorization timeout.
	 * @return the defaults
	 */
	public static ConnectionLimits defaults() {
		return new ConnectionLimits(100, 20, 200, Duration.ZERO);
	}

	/**
	 * Whether connections must sign in or join a private or presence channel in time.
	 * @return {@code true} if {@link #authorizationTimeout()} is set
	 */
	public boolean requiresAuthorization() {
		return !this.authorizationTimeout.isZero();
	}

}
