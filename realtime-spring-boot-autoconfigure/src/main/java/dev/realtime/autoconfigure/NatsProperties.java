package dev.realtime.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Several nodes sharing one NATS with JetStream ({@code realtime.broadcaster=nats}):
 * {@code realtime.nats.*}.
 */
public class NatsProperties {

	/**
	 * NATS servers to connect to (any of a cluster will do), as nats:// URLs.
	 */
	private List<String> servers = new ArrayList<>(List.of("nats://127.0.0.1:4222"));

	/**
	 * User name to log in to NATS with.
	 */
	private @Nullable String username;

	/**
	 * Password to log in to NATS with.
	 */
	private @Nullable String password;

	/**
	 * Token to log in to NATS with.
	 */
	private @Nullable String token;

	/**
	 * Prefix of every subject and key-value bucket of the realtime nodes (letters, digits,
	 * "-" and "_"), so several applications or environments can share one NATS. Nodes of
	 * one application must use the same prefix.
	 */
	private String prefix = "realtime";

	/**
	 * Id of this node among the nodes sharing the NATS (letters, digits, "-" and "_").
	 * Random at every start when not set; two running nodes must never share one.
	 */
	private @Nullable String nodeId;

	/**
	 * How long a node's heartbeat and counts outlive its last refresh (sent every third of
	 * it): the members of a node that died are removed from presence channels, with
	 * member_removed, within about 4/3 of this. At least 300ms.
	 */
	private Duration nodeTtl = Duration.ofSeconds(15);

	/**
	 * Interval between writes of this node's subscription counts (and reads of the other
	 * nodes'): how stale cluster counts may be in channel queries.
	 */
	private Duration statsInterval = Duration.ofSeconds(1);

	/**
	 * Most events waiting to be published to NATS; beyond it new events still reach this
	 * node's connections but are dropped for the other nodes (and counted).
	 */
	private int publishQueueSize = 65_536;

	/**
	 * Longest a thread waits for a JetStream reply (a presence join, a webhook claim).
	 */
	private Duration requestTimeout = Duration.ofSeconds(1);

	public List<String> getServers() {
		return this.servers;
	}

	public void setServers(List<String> servers) {
		this.servers = servers;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(@Nullable String nodeId) {
		this.nodeId = nodeId;
	}

	public Duration getNodeTtl() {
		return this.nodeTtl;
	}

	public void setNodeTtl(Duration nodeTtl) {
		this.nodeTtl = nodeTtl;
	}

	public Duration getStatsInterval() {
		return this.statsInterval;
	}

	public void setStatsInterval(Duration statsInterval) {
		this.statsInterval = statsInterval;
	}

	public int getPublishQueueSize() {
		return this.publishQueueSize;
	}

	public void setPublishQueueSize(int publishQueueSize) {
		this.publishQueueSize = publishQueueSize;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

}
