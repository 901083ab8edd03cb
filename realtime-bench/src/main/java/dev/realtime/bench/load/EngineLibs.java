package dev.realtime.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars an engine's nodes add to the sample app's class path. The build copies every
 * engine's client libraries to one directory ({@code realtime-bench/target/redis-libs}: Spring
 * Data Redis, realtime-nats and jnats, realtime-rabbitmq and Spring AMQP); each engine takes
 * them without the other engines' own jars, so that a Redis node does not also configure a
 * RabbitMQ connection factory (Spring Boot would, with Spring AMQP on the class path) and a
 * NATS node has no Redis connection beside its NATS one.
 */
final class EngineLibs {

	static final Path DIR = Path.of("realtime-bench/target/redis-libs");

	private static final List<String> REDIS = List.of("spring-boot-starter-data-redis-", "spring-boot-data-redis-",
			"spring-data-redis-", "lettuce-core-");

	private static final List<String> NATS = List.of("realtime-nats-", "jnats-");

	private static final List<String> RABBITMQ = List.of("realtime-rabbitmq-", "spring-boot-starter-amqp-",
			"spring-boot-amqp-", "spring-rabbit-", "spring-amqp-", "amqp-client-");

	private EngineLibs() {
	}

	/** Spring Data Redis (the Redis and Redis Cluster engines, and the two-node Redis servers). */
	static List<Path> redis() throws IOException {
		return without(NATS, RABBITMQ);
	}

	/** realtime-nats and jnats. */
	static List<Path> nats() throws IOException {
		return without(REDIS, RABBITMQ);
	}

	/** realtime-rabbitmq and Spring AMQP, with Spring Data Redis for presence and counts. */
	static List<Path> rabbitmq() throws IOException {
		return without(NATS);
	}

	@SafeVarargs
	private static List<Path> without(List<String>... others) throws IOException {
		if (!Files.isDirectory(DIR)) {
			throw new IllegalStateException(DIR + " is missing: build with run-load.sh (it copies the engines' libraries)");
		}
		try (Stream<Path> jars = Files.list(DIR)) {
			return jars.filter((jar) -> jar.toString().endsWith(".jar"))
				.filter((jar) -> Stream.of(others)
					.flatMap(List::stream)
					.noneMatch((prefix) -> jar.getFileName().toString().startsWith(prefix)))
				.sorted()
				.toList();
		}
	}

}
