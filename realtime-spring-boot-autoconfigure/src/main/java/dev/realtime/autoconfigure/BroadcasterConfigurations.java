package dev.realtime.autoconfigure;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeProperties.BroadcasterType;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.MemoryBroadcaster;
import dev.realtime.pusher.BroadcastThreads;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

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

	private static final Map<BroadcasterType, List<Class<?>>> MAPPINGS = new EnumMap<>(BroadcasterType.class);

	static {
		MAPPINGS.put(BroadcasterType.MEMORY, List.of(MemoryBroadcasterConfiguration.class));
		// The Redis configuration goes first in this list (conditional on Spring Data Redis and
		// a RedisConnectionFactory, defining a Broadcaster bean, ideally running its handlers on
		// the BroadcastThreads bean so that shutdown waits for them); the fallback then only
		// applies when it could not define one.
		MAPPINGS.put(BroadcasterType.REDIS, List.of(RedisBroadcasterUnavailableConfiguration.class));
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
	 * {@code realtime.broadcaster=redis} was chosen but no Redis broadcaster could be made.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Broadcaster.class)
	static class RedisBroadcasterUnavailableConfiguration {

		@Bean
		Broadcaster realtimeBroadcaster() {
			throw new BroadcasterUnavailableException(BroadcasterType.REDIS,
					"realtime.broadcaster=redis needs the Redis broadcaster, which is not available: add "
							+ "spring-boot-starter-data-redis and configure spring.data.redis.*, or set "
							+ "realtime.broadcaster=memory for a single node");
		}

	}

}
