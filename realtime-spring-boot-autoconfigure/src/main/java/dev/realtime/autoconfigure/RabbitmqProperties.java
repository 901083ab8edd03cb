package dev.realtime.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Several nodes sharing one RabbitMQ ({@code realtime.broadcaster=rabbitmq}):
 * {@code realtime.rabbitmq.*}. The broker itself is the application's Spring AMQP
 * connection ({@code spring.rabbitmq.*}); presence, counts and webhook de-duplication use
 * the application's Redis ({@code spring.data.redis.*}, {@code realtime.redis.*}).
 */
public class RabbitmqProperties {

	/**
	 * Direct exchange every node publishes to (the channel is the routing key), also the
	 * prefix of the node queues. Nodes of one application must use the same one.
	 */
	private String exchange = "realtime";

	/**
	 * Id of this node among the nodes sharing the exchange; its queue is
	 * "{exchange}.node.{id}". Random at every start when not set; two running nodes must
	 * never share one.
	 */
	private @Nullable String nodeId;

	/**
	 * How long a node's queue outlives its consumer (x-expires): a dead node's queue and
	 * bindings are removed by the broker after this. At least 1s.
	 */
	private Duration nodeTtl = Duration.ofSeconds(15);

	/**
	 * Most events waiting to be published to RabbitMQ (and most messages a node queue
	 * holds); beyond it new events still reach this node's connections but are dropped for
	 * the other nodes (and counted).
	 */
	private int publishQueueSize = 65_536;

	/**
	 * Messages the broker sends ahead to the node's single consumer.
	 */
	private int prefetch = 1024;

	public String getExchange() {
		return this.exchange;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
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

	public int getPublishQueueSize() {
		return this.publishQueueSize;
	}

	public void setPublishQueueSize(int publishQueueSize) {
		this.publishQueueSize = publishQueueSize;
	}

	public int getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(int prefetch) {
		this.prefetch = prefetch;
	}

}
