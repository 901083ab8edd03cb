package dev.realtime.pusher;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What one app may do, on top of its credentials. A {@code null} limit means "the
 * server's setting" ({@code realtime.client-events.enabled}, {@code realtime.presence.*},
 * {@code realtime.http-api.max-payload-size}), so an app only states what differs.
 *
 * @param enabled whether the app takes connections and HTTP API requests (a disabled app
 * refuses connections with 4003 and HTTP API requests with 403)
 * @param clientEvents whether its clients may send client events, or {@code null} for the
 * server's setting
 * @param maxPresenceMembers most members of one of its presence channels, or {@code null}
 * @param maxPresenceMemberInfoSize largest {@code user_info} of a member, in bytes, or
 * {@code null}
 * @param maxPayloadSize largest {@code data} of one event published through the HTTP
 * API, in bytes, or {@code null}
 * @param maxConnections most connections of the app across the cluster (more are refused
 * with 4004 by {@link ConnectionAdmission}), or {@code null} for no quota
 * @param webhooks where its webhooks are sent (signed with its secret); empty for none
 */
public record AppSettings(boolean enabled, @Nullable Boolean clientEvents, @Nullable Integer maxPresenceMembers,
		@Nullable Integer maxPresenceMemberInfoSize, @Nullable Integer maxPayloadSize, @Nullable Integer maxConnections,
		List<URI> webhooks) {

	/** Enabled, every limit the server's, no webhooks of its own. */
	public static final AppSettings DEFAULTS = new AppSettings(true, null, null, null, null, null, List.of());

	public AppSettings {
		requirePositive(maxPresenceMembers, "maxPresenceMembers");
		requirePositive(maxPresenceMemberInfoSize, "maxPresenceMemberInfoSize");
		requirePositive(maxPayloadSize, "maxPayloadSize");
		requirePositive(maxConnections, "maxConnections");
		webhooks = List.copyOf(Objects.requireNonNull(webhooks, "webhooks"));
	}

	/**
	 * The protocol settings of the app's connections: the server's, with the app's own
	 * client-event switch and member info limit.
	 * @param server the server's settings
	 * @return the app's settings
	 */
	public ProtocolSettings protocol(ProtocolSettings server) {
		if (this.clientEvents == null && this.maxPresenceMemberInfoSize == null) {
			return server;
		}
		return new ProtocolSettings(server.activityTimeout(), server.pongTimeout(), server.maxMessageSize(),
				(this.maxPresenceMemberInfoSize != null) ? this.maxPresenceMemberInfoSize : server.maxUserInfoSize(),
				(this.clientEvents != null) ? this.clientEvents : server.clientEventsEnabled(),
				server.clientEventRateLimit(), server.watchlists());
	}

	/**
	 * The app's presence member limit.
	 * @param server the server's limit
	 * @return the app's limit
	 */
	public int maxPresenceMembers(int server) {
		return (this.maxPresenceMembers != null) ? this.maxPresenceMembers : server;
	}

	/**
	 * The app's HTTP API payload limit.
	 * @param server the server's limit
	 * @return the app's limit
	 */
	public int maxPayloadSize(int server) {
		return (this.maxPayloadSize != null) ? this.maxPayloadSize : server;
	}

	private static void requirePositive(@Nullable Integer value, String name) {
		if (value != null && value < 1) {
			throw new IllegalArgumentException(name + " must be positive, got " + value);
		}
	}

}
