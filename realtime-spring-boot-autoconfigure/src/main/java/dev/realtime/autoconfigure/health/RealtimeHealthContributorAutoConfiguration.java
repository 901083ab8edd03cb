package dev.realtime.autoconfigure.health;

import dev.realtime.Hub;
import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.health.RealtimeHealthIndicator;
import dev.realtime.pusher.PusherConnections;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code realtime} health contributor, when Spring Boot's health support is present.
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ Hub.class, Broadcaster.class, PusherConnections.class })
@ConditionalOnEnabledHealthIndicator("realtime")
public final class RealtimeHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "realtimeHealthIndicator")
	RealtimeHealthIndicator realtimeHealthIndicator(Hub hub, Broadcaster broadcaster,
			PusherConnections connections) {
		return new RealtimeHealthIndicator(hub, broadcaster, connections);
	}

}
