package dev.realtime.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.realtime.ChannelStats;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryChannelCache;
import dev.realtime.http.ConnectionTerminator;
import dev.realtime.http.HttpWebhookSender;
import dev.realtime.http.WebhookDeduplicator;
import dev.realtime.http.WebhookDispatcher;
import dev.realtime.http.WebhookEvent;
import dev.realtime.http.WebhookEventType;
import dev.realtime.pusher.CacheChannels;
import dev.realtime.pusher.Realtime;
import dev.realtime.redis.RedisChannelCache;
import dev.realtime.redis.RedisClusterConfig;
import dev.realtime.redis.RedisConnections;
import dev.realtime.redis.RedisWebhookDeduplicator;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for the HTTP API, webhook and cache channel wiring.
 */
class RealtimeHttpApiWebhookConfigurationTests {

	private static final String[] APP = { "realtime.apps[0].id=3", "realtime.apps[0].key=key",
			"realtime.apps[0].secret=secret" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
		.withPropertyValues(APP);

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
		.withPropertyValues(APP);

	@Test
	void providesStatsTerminatorAndCacheChannelsButNoWebhooksByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelStats.class)
				.hasSingleBean(ConnectionTerminator.class)
				.hasSingleBean(ChannelCache.class)
				.hasSingleBean(CacheChannels.class)
				.doesNotHaveBean(WebhookDispatcher.class)
				.doesNotHaveBean(HttpWebhookSender.class)
				.doesNotHaveBean("realtimeHttpApiFilter");
			assertThat(context.getBean(ChannelCache.class)).isInstanceOf(MemoryChannelCache.class);
		});
	}

	@Test
	void realtimePublishesFillTheChannelCache() {
		this.runner.run((context) -> {
			context.getBean(Realtime.class).publish("cache-news", "headline", "hello");
			context.getBean(Realtime.class).publish("news", "headline", "not cached");
			ChannelCache cache = context.getBean(ChannelCache.class);
			Event cached = cache.get("cache-news");
			assertThat(cached).isNotNull();
			assertThat(cached.payload()).isEqualTo("hello");
			assertThat(cache.get("news")).isNull();
		});
	}

	@Test
	void cacheTtlIsBoundFromProperties() {
		this.runner.withPropertyValues("realtime.cache.ttl=1ms").run((context) -> {
			context.getBean(Realtime.class).publish("cache-short", "e", "x");
			Thread.sleep(5);
			assertThat(context.getBean(ChannelCache.class).get("cache-short")).isNull();
		});
	}

	@Test
	void servesTheHttpApiInAServletWebApplication() {
		this.webRunner.run((context) -> assertThat(context).hasBean("realtimeHttpApiFilter"));
	}

	@Test
	void httpApiCanBeDisabled() {
		this.webRunner.withPropertyValues("realtime.http-api.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("realtimeHttpApiFilter"));
	}

	@Test
	void webhookEndpointsEnableWebhooks() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.events=channel_occupied,client_event", "realtime.webhooks.debounce=1s")
			.run((context) -> {
				assertThat(context).hasSingleBean(WebhookDispatcher.class).hasSingleBean(HttpWebhookSender.class);
				assertThat(context.getBean(WebhookDeduplicator.class)).isSameAs(WebhookDeduplicator.SINGLE_NODE);
				RealtimeProperties.Webhooks webhooks = context.getBean(RealtimeProperties.class).getWebhooks();
				assertThat(webhooks.getEvents()).containsExactlyInAnyOrder(WebhookEventType.CHANNEL_OCCUPIED,
						WebhookEventType.CLIENT_EVENT);
				assertThat(webhooks.getDebounce()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void webhookDeliveryIsMetered() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks")
			.run((context) -> {
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				context.getBean("realtimeWebhookMetrics", MeterBinder.class).bindTo(registry);
				context.getBean(HttpWebhookSender.class).close();
				context.getBean(HttpWebhookSender.class).send(WebhookEvent.of(WebhookEventType.CACHE_MISS, "cache-x"));
				assertThat(registry.get("realtime.webhooks.dropped").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("realtime.webhooks.queued").gauge().value()).isZero();
			});
	}

	@Test
	void webhookEndpointWithAnUnknownAppFails() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].app-id=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("unknown app-id nope"));
	}

	@Test
	void endpointEventsFilterAndHeadersAreBound() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].events=member_added,member_removed",
					"realtime.webhooks.endpoints[0].filter.prefix=presence-",
					"realtime.webhooks.endpoints[0].filter.suffix=-eu",
					"realtime.webhooks.endpoints[0].headers.Authorization=Bearer abc",
					"realtime.webhooks.endpoints[1].url=http://127.0.0.1:9/all")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<RealtimeProperties.Webhooks.Endpoint> endpoints = context.getBean(RealtimeProperties.class)
					.getWebhooks()
					.getEndpoints();
				assertThat(endpoints.get(0).getEvents()).containsExactlyInAnyOrder(WebhookEventType.MEMBER_ADDED,
						WebhookEventType.MEMBER_REMOVED);
				assertThat(endpoints.get(0).getFilter().getPrefix()).isEqualTo("presence-");
				assertThat(endpoints.get(0).getFilter().getSuffix()).isEqualTo("-eu");
				assertThat(endpoints.get(0).getHeaders()).containsExactly(entry("Authorization", "Bearer abc"));
				assertThat(endpoints.get(1).getEvents()).isNull();
				assertThat(endpoints.get(1).getHeaders()).isEmpty();
			});
	}

	@Test
	void aHeaderTheServerSetsItselfIsRefusedAtStartup() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].headers.X-Pusher-Signature=forged")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContainingAll("realtime.webhooks.endpoints[0].headers",
						"is set by the webhook sender itself"));
	}

	@Test
	void aHeaderValueWithALineBreakIsRefusedAtStartup() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].headers.X-Token=a\r\nX-Injected: b")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContainingAll("realtime.webhooks.endpoints[0].headers",
						"is not a valid HTTP header value"));
	}

	@Test
	void anInvalidHeaderNameIsRefusedAtStartup() {
		this.runner
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].headers[X Token]=x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContainingAll("realtime.webhooks.endpoints[0].headers",
						"is not a valid HTTP header name"));
	}

	@Test
	void anotherAppsEndpointWithABadHeaderIsRefusedAtStartup() {
		this.runner
			.withPropertyValues("realtime.apps[1].id=4", "realtime.apps[1].key=key4", "realtime.apps[1].secret=s4",
					"realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks",
					"realtime.webhooks.endpoints[0].app-id=4",
					"realtime.webhooks.endpoints[0].headers.Content-Type=text/plain")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContainingAll("realtime.webhooks.endpoints[0].headers",
						"is set by the webhook sender itself"));
	}

	@Test
	void aNodeWithRedisConnectionsSharesTheCacheAndClaimsWebhooksInRedis() {
		this.runner
			.withBean(RedisConnections.class,
					() -> new RedisConnections(RedisURI.create("redis://127.0.0.1:6379"),
							RedisClusterConfig.builder().build()))
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks")
			.run((context) -> {
				assertThat(context.getBean(ChannelCache.class)).isInstanceOf(RedisChannelCache.class);
				assertThat(context.getBean(WebhookDeduplicator.class)).isInstanceOf(RedisWebhookDeduplicator.class);
			});
	}

	@Test
	void userDefinedBeansWin() {
		this.runner.withUserConfiguration(CustomBeans.class)
			.withPropertyValues("realtime.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks")
			.run((context) -> {
				assertThat(context.getBean(WebhookDeduplicator.class)).isSameAs(CustomBeans.DEDUPLICATOR);
				assertThat(context.getBean(ChannelCache.class)).isSameAs(CustomBeans.CACHE);
				assertThat(context.getBean(ConnectionTerminator.class)).isSameAs(CustomBeans.TERMINATOR);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomBeans {

		static final WebhookDeduplicator DEDUPLICATOR = (key, window) -> false;

		static final ChannelCache CACHE = new ChannelCache() {

			@Override
			public void put(Event event) {
			}

			@Override
			public @Nullable Event get(String channel) {
				return null;
			}

		};

		static final ConnectionTerminator TERMINATOR = (userId) -> {
		};

		@Bean
		WebhookDeduplicator deduplicator() {
			return DEDUPLICATOR;
		}

		@Bean
		ChannelCache channelCache() {
			return CACHE;
		}

		@Bean
		ConnectionTerminator terminator() {
			return TERMINATOR;
		}

	}

}
