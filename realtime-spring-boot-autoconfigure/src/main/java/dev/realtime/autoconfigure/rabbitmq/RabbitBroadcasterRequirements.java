package dev.realtime.autoconfigure.rabbitmq;

/**
 * What {@code realtime.broadcaster=rabbitmq} needs besides the broker, in the words of the
 * startup failure.
 */
public final class RabbitBroadcasterRequirements {

	/** Why Redis, and how to add it. */
	public static final String NO_REDIS = "realtime.broadcaster=rabbitmq needs Redis beside RabbitMQ for presence, "
			+ "cluster counts, cache channels and webhook de-duplication (RabbitMQ has no shared store with "
			+ "compare-and-set and expiring entries, so it cannot decide a user's first and last connection across "
			+ "nodes or expire a dead node's members): add spring-boot-starter-data-redis and set "
			+ "spring.data.redis.url (or host and port), or choose realtime.broadcaster=nats or redis";

	private RabbitBroadcasterRequirements() {
	}

}
