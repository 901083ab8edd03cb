package dev.realtime.autoconfigure;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.pusher.SubscriptionCounts;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Subscription counts to clients ({@code realtime.subscription-count.enabled}), from the
 * application's {@link ChannelStats}: cluster-wide with the Redis broadcaster.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "realtime.subscription-count.enabled")
final class RealtimeSubscriptionCountConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SubscriptionCounts realtimeSubscriptionCounts(Hub hub, ChannelStats stats, RealtimeProperties properties) {
		return new SubscriptionCounts(hub, stats, properties.getSubscriptionCount().getInterval());
	}

}
