package dev.realtime.autoconfigure;

import java.time.Clock;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.http.ConnectionTerminator;
import dev.realtime.http.HttpApi;
import dev.realtime.http.HttpApiFilter;
import dev.realtime.http.HttpApiSettings;
import dev.realtime.http.RequestBodyLimitFilter;
import dev.realtime.http.SignedRequestVerifier;
import dev.realtime.nats.NatsBroadcaster;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.rabbitmq.RabbitBroadcaster;
import dev.realtime.redis.RedisBroadcaster;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The Pusher HTTP API ({@code /apps/{id}/...}), which reads and acts through the
 * {@link AppHubs}: for the default app the {@link ChannelStats} bean (this hub's on one
 * node, the cluster's with Redis or NATS) and the {@link ConnectionTerminator} defined here
 * (through the Redis, NATS or RabbitMQ broadcaster when there is one, so every node acts);
 * for another app its own hub's (through the same broadcaster, on the app's qualified user
 * channel).
 */
@Configuration(proxyBeanMethods = false)
final class RealtimeHttpApiConfiguration {

	private static final String LETTUCE = "io.lettuce.core.RedisClient";

	private static final String NATS = "dev.realtime.nats.NatsBroadcaster";

	private static final String RABBIT = "dev.realtime.rabbitmq.RabbitBroadcaster";

	@Bean
	@ConditionalOnMissingBean
	ConnectionTerminator realtimeConnectionTerminator(Broadcaster broadcaster, Hub hub) {
		if (ClassUtils.isPresent(LETTUCE, RealtimeHttpApiConfiguration.class.getClassLoader())) {
			ConnectionTerminator clustered = RedisTermination.terminator(broadcaster);
			if (clustered != null) {
				return clustered;
			}
		}
		ClassLoader classLoader = RealtimeHttpApiConfiguration.class.getClassLoader();
		if (ClassUtils.isPresent(NATS, classLoader) && NatsTermination.terminator(broadcaster) != null) {
			return NatsTermination.terminator(broadcaster);
		}
		if (ClassUtils.isPresent(RABBIT, classLoader) && RabbitTermination.terminator(broadcaster) != null) {
			return RabbitTermination.terminator(broadcaster);
		}
		return ConnectionTerminator.local(hub);
	}

	/**
	 * The API itself, which the MVC endpoints and the Netty transport's port both answer with.
	 * @param apps finds the app a path names
	 * @param hubs each app's hub
	 * @param jsonMapper reads requests and writes answers
	 * @param properties the limits
	 * @return the API
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "realtime.http-api.enabled", matchIfMissing = true)
	HttpApi realtimeHttpApi(AppRegistry apps, AppHubs hubs, ObjectProvider<JsonMapper> jsonMapper,
			RealtimeProperties properties) {
		RealtimeProperties.HttpApi api = properties.getHttpApi();
		HttpApiSettings settings = new HttpApiSettings((int) api.getMaxPayloadSize().toBytes(),
				api.getMaxChannelsPerEvent(), api.getMaxBatchSize(), api.getTimestampTolerance());
		return new HttpApi(apps, hubs, jsonMapper.getIfAvailable(JsonMapper::shared),
				new SignedRequestVerifier(Clock.systemUTC(), settings.timestampTolerance()), settings);
	}

	/**
	 * The endpoints, in a servlet web application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnBooleanProperty(name = "realtime.http-api.enabled", matchIfMissing = true)
	static class HttpApiEndpointConfiguration {

		/**
		 * The API's endpoints, as the last filter for {@code /apps/*}: after every other
		 * filter (Spring Security's included), instead of the {@code DispatcherServlet}.
		 * @param api the API
		 * @return the registration
		 */
		@Bean
		@ConditionalOnMissingBean(name = "realtimeHttpApiFilter")
		FilterRegistrationBean<HttpApiFilter> realtimeHttpApiFilter(HttpApi api) {
			FilterRegistrationBean<HttpApiFilter> registration = new FilterRegistrationBean<>(new HttpApiFilter(api));
			registration.addUrlPatterns("/apps/*");
			registration.setOrder(HttpApiFilter.ORDER);
			return registration;
		}

		/**
		 * Refuses a multipart body, or a length over the API's cap, before the
		 * {@code DispatcherServlet} would parse it (the signature is checked only after).
		 * @param properties the realtime properties
		 * @return the registration of the filter for {@code /apps/*}
		 */
		@Bean
		@ConditionalOnMissingBean(name = "realtimeHttpApiBodyLimitFilter")
		FilterRegistrationBean<RequestBodyLimitFilter> realtimeHttpApiBodyLimitFilter(RealtimeProperties properties) {
			FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
					RequestBodyLimitFilter.forHttpApi(settings(properties.getHttpApi()).maxBodySize()));
			registration.addUrlPatterns("/apps/*");
			registration.setOrder(RequestBodyLimitFilter.ORDER);
			return registration;
		}

		private static HttpApiSettings settings(RealtimeProperties.HttpApi api) {
			return new HttpApiSettings((int) api.getMaxPayloadSize().toBytes(), api.getMaxChannelsPerEvent(),
					api.getMaxBatchSize(), api.getTimestampTolerance());
		}

	}

	/**
	 * Kept apart so that {@link RedisBroadcaster} is only loaded when Lettuce is present.
	 */
	private static final class RedisTermination {

		/** Every node closes its own connections of the user (RedisRealtimeConfiguration binds that). */
		static @Nullable ConnectionTerminator terminator(Broadcaster broadcaster) {
			return (broadcaster instanceof RedisBroadcaster redis) ? redis::terminateUserConnections : null;
		}

	}

	/**
	 * Kept apart so that the NATS engine is only loaded when it is present.
	 */
	private static final class NatsTermination {

		static @Nullable ConnectionTerminator terminator(Broadcaster broadcaster) {
			return (broadcaster instanceof NatsBroadcaster nats) ? nats::terminateUserConnections : null;
		}

	}

	/**
	 * Kept apart so that the RabbitMQ engine is only loaded when it is present.
	 */
	private static final class RabbitTermination {

		static @Nullable ConnectionTerminator terminator(Broadcaster broadcaster) {
			return (broadcaster instanceof RabbitBroadcaster rabbit) ? rabbit::terminateUserConnections : null;
		}

	}

}
