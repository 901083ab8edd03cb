package dev.realtime.autoconfigure;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeProperties.BroadcasterType;
import dev.realtime.autoconfigure.nats.NatsRealtimeConfiguration;
import dev.realtime.autoconfigure.rabbitmq.RabbitBroadcasterRequirements;
import dev.realtime.autoconfigure.rabbitmq.RabbitRealtimeConfiguration;
import dev.realtime.autoconfigure.redis.RedisRealtimeConfiguration;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.pusher.BroadcastThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * The broadcaster configurations, one per {@link BroadcasterType}, imported according to
 * {@code realtime.broadcaster} (in the manner of Spring Boot's cache configurations).
 * <p>
 * Each type maps to configurations tried in order; all of them are
 * {@code @ConditionalOnMissingBean(Broadcaster.class)}, so a user's broadcaster wins. A
 * type whose implementation cannot start ends in a configuration that fails with a
 * readable message instead of falling back silently to another kind.
 */
final class BroadcasterConfigurations {

	private static final String LETTUCE_CONNECTION_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

	private static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";

	private static final String JNATS = "io.nats.client.Connection";

	private static final String NATS_ENGINE = "dev.realtime.nats.NatsBroadcaster";

	private static final String SPRING_RABBIT = "org.springframework.amqp.rabbit.connection.ConnectionFactory";

	private static final String RABBIT_ENGINE = "dev.realtime.rabbitmq.RabbitBroadcaster";

	private static final Map<BroadcasterType, List<Class<?>>> MAPPINGS = new EnumMap<>(BroadcasterType.class);

	static {
		MAPPINGS.put(BroadcasterType.MEMORY, List.of(MemoryBroadcasterConfiguration.class));
		// The fallback only applies when the Redis configuration could not define a broadcaster.
		MAPPINGS.put(BroadcasterType.REDIS,
				List.of(RedisBroadcasterConfiguration.class, RedisBroadcasterUnavailableConfiguration.class));
		MAPPINGS.put(BroadcasterType.NATS,
				List.of(NatsBroadcasterConfiguration.class, NatsBroadcasterUnavailableConfiguration.class));
		MAPPINGS.put(BroadcasterType.RABBITMQ,
				List.of(RabbitBroadcasterConfiguration.class, RabbitBroadcasterUnavailableConfiguration.class));
	}

	private BroadcasterConfigurations() {
	}

	static String[] configurationClassNames(BroadcasterType type) {
		return MAPPINGS.get(type).stream().map(Class::getName).toArray(String[]::new);
	}

	/**
	 * Imports the configurations of the chosen broadcaster type.
	 */
	static class BroadcasterConfigurationImportSelector implements ImportSelector, EnvironmentAware {

		private BroadcasterType type = BroadcasterType.MEMORY;

		@Override
		public void setEnvironment(Environment environment) {
			this.type = Binder.get(environment)
				.bind("realtime.broadcaster", BroadcasterType.class)
				.orElse(BroadcasterType.MEMORY);
		}

		@Override
		public String[] selectImports(AnnotationMetadata importingClassMetadata) {
			return configurationClassNames(this.type);
		}

	}

	/**
	 * One node: events stay in memory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Broadcaster.class)
	static class MemoryBroadcasterConfiguration {

		@Bean
		MemoryBroadcaster realtimeBroadcaster(BroadcastThreads threads, RealtimeProperties properties) {
			return new MemoryBroadcaster(properties.getBroadcastBufferSize(), threads.executor());
		}

	}

	/**
	 * Several nodes sharing one Redis, through the application's Spring Data Redis
	 * connection factory (Lettuce).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { LETTUCE_CONNECTION_FACTORY, LETTUCE_CLIENT })
	@ConditionalOnMissingBean(Broadcaster.class)
	@Import(RedisRealtimeConfiguration.class)
	static class RedisBroadcasterConfiguration {

	}

	/**
	 * {@code realtime.broadcaster=redis} was chosen but the Redis broadcaster's libraries
	 * are missing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Broadcaster.class)
	static class RedisBroadcasterUnavailableConfiguration implements BeanClassLoaderAware {

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		Broadcaster realtimeBroadcaster() {
			ClassLoader classLoader = this.classLoader;
			List<String> missing = new ArrayList<>();
			if (!ClassUtils.isPresent(LETTUCE_CONNECTION_FACTORY, classLoader)) {
				missing.add("Spring Data Redis (" + LETTUCE_CONNECTION_FACTORY + ")");
			}
			if (!ClassUtils.isPresent(LETTUCE_CLIENT, classLoader)) {
				missing.add("Lettuce (" + LETTUCE_CLIENT + ")");
			}
			String what = missing.isEmpty() ? "the Redis broadcaster, which could not be configured"
					: String.join(" and ", missing) + " on the class path";
			throw new BroadcasterUnavailableException(BroadcasterType.REDIS,
					"realtime.broadcaster=redis needs " + what + ": add spring-boot-starter-data-redis and "
							+ "configure spring.data.redis.*, or set realtime.broadcaster=memory for a single node");
		}

	}

	/**
	 * Several nodes sharing one NATS with JetStream.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { JNATS, NATS_ENGINE })
	@ConditionalOnMissingBean(Broadcaster.class)
	@Import(NatsRealtimeConfiguration.class)
	static class NatsBroadcasterConfiguration {

	}

	/**
	 * {@code realtime.broadcaster=nats} was chosen but the NATS engine's libraries are
	 * missing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Broadcaster.class)
	static class NatsBroadcasterUnavailableConfiguration implements BeanClassLoaderAware {

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		Broadcaster realtimeBroadcaster() {
			List<String> missing = new ArrayList<>();
			if (!ClassUtils.isPresent(JNATS, this.classLoader)) {
				missing.add("the NATS client io.nats:jnats (" + JNATS + ")");
			}
			if (!ClassUtils.isPresent(NATS_ENGINE, this.classLoader)) {
				missing.add("the module dev.realtime:realtime-nats (" + NATS_ENGINE + ")");
			}
			String what = missing.isEmpty() ? "the NATS broadcaster, which could not be configured"
					: String.join(" and ", missing) + " on the class path";
			throw new BroadcasterUnavailableException(BroadcasterType.NATS, "realtime.broadcaster=nats needs " + what
					+ ": add dev.realtime:realtime-nats (it brings jnats) and set realtime.nats.servers, "
					+ "or set realtime.broadcaster=memory for a single node");
		}

	}

	/**
	 * Several nodes sharing one RabbitMQ for events, with Redis beside it for presence.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { SPRING_RABBIT, RABBIT_ENGINE, LETTUCE_CONNECTION_FACTORY, LETTUCE_CLIENT })
	@ConditionalOnMissingBean(Broadcaster.class)
	@Import(RabbitRealtimeConfiguration.class)
	static class RabbitBroadcasterConfiguration {

	}

	/**
	 * {@code realtime.broadcaster=rabbitmq} was chosen but Spring AMQP, the RabbitMQ engine
	 * or the Redis libraries it needs beside it are missing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Broadcaster.class)
	static class RabbitBroadcasterUnavailableConfiguration implements BeanClassLoaderAware {

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		Broadcaster realtimeBroadcaster() {
			List<String> missing = new ArrayList<>();
			if (!ClassUtils.isPresent(SPRING_RABBIT, this.classLoader)) {
				missing.add("Spring AMQP (" + SPRING_RABBIT + ", from spring-boot-starter-amqp)");
			}
			if (!ClassUtils.isPresent(RABBIT_ENGINE, this.classLoader)) {
				missing.add("the module dev.realtime:realtime-rabbitmq (" + RABBIT_ENGINE + ")");
			}
			if (!missing.isEmpty()) {
				throw new BroadcasterUnavailableException(BroadcasterType.RABBITMQ,
						"realtime.broadcaster=rabbitmq needs " + String.join(" and ", missing)
								+ " on the class path: add dev.realtime:realtime-rabbitmq and "
								+ "spring-boot-starter-amqp, or set realtime.broadcaster=memory for a single node");
			}
			throw new BroadcasterUnavailableException(BroadcasterType.RABBITMQ, RabbitBroadcasterRequirements.NO_REDIS
					+ " (Spring Data Redis and Lettuce are not on the class path)");
		}

	}

}
