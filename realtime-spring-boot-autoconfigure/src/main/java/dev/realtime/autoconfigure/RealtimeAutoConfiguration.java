package dev.realtime.autoconfigure;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.realtime.ChannelStats;
import dev.realtime.Hub;
import dev.realtime.HubConfig;
import dev.realtime.OutboxWaitRecorder;
import dev.realtime.PresenceDirectory;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppHub;
import dev.realtime.pusher.AppHubs;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.AppSettings;
import dev.realtime.pusher.BroadcastRelay;
import dev.realtime.pusher.BroadcastThreads;
import dev.realtime.pusher.EventEncryptor;
import dev.realtime.pusher.GracefulShutdown;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.PusherFrames;
import dev.realtime.pusher.Realtime;
import dev.realtime.pusher.StaticAppRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of the realtime server: the {@link Hub}, the {@link Broadcaster}
 * chosen by {@code realtime.broadcaster}, the relay between them, the {@link Realtime}
 * facade, the {@link ChannelStats}, and (in a servlet web application) the Pusher
 * WebSocket endpoint and the auth endpoints.
 * <p>
 * Runs after Spring Boot's Redis and RabbitMQ auto-configurations, whose connection
 * factories the Redis and RabbitMQ broadcasters use; the broadcaster configurations are imported first, so that a
 * {@link PresenceDirectory} or {@link ChannelStats} they define replaces the defaults here.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "realtime.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RealtimeProperties.class)
@Import({ BroadcasterConfigurations.BroadcasterConfigurationImportSelector.class,
		RealtimePusherConfiguration.class, RealtimeWebSocketConfiguration.class,
		RealtimeNettyConfiguration.class, RealtimeAuthConfiguration.class, RealtimeCacheChannelConfiguration.class,
		RealtimeHttpApiConfiguration.class, RealtimeWebhookConfiguration.class, RealtimeAppsConfiguration.class,
		RealtimeEncryptionConfiguration.class, RealtimeEventsConfiguration.class,
		RealtimeSubscriptionCountConfiguration.class })
public final class RealtimeAutoConfiguration {

	/** Id of the app used when none is configured. */
	public static final String DEFAULT_APP_ID = "app";

	/** Key of the app used when none is configured. */
	public static final String DEFAULT_APP_KEY = "app-key";

	private static final Log logger = LogFactory.getLog(RealtimeAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	AppRegistry realtimeAppRegistry(RealtimeProperties properties) {
		List<App> apps = new ArrayList<>();
		for (RealtimeProperties.App app : properties.getApps()) {
			if (app.getId() == null || app.getKey() == null || app.getSecret() == null) {
				throw new IllegalStateException("Every entry of realtime.apps needs an id, a key and a secret");
			}
			apps.add(new App(app.getId(), app.getKey(), app.getSecret(), settings(app)));
		}
		if (apps.isEmpty()) {
			logger.warn("No realtime.apps configured: using app id '" + DEFAULT_APP_ID + "', key '" + DEFAULT_APP_KEY
					+ "' and a random secret. Configure realtime.apps for several nodes or for server SDKs.");
			apps.add(new App(DEFAULT_APP_ID, DEFAULT_APP_KEY, randomSecret()));
		}
		return new StaticAppRegistry(apps);
	}

	private static AppSettings settings(RealtimeProperties.App app) {
		DataSize userInfo = app.getPresenceMaxUserInfoSize();
		DataSize payload = app.getMaxPayloadSize();
		return new AppSettings(app.isEnabled(), app.getClientEventsEnabled(), app.getPresenceMaxMembers(),
				(userInfo != null) ? Math.toIntExact(userInfo.toBytes()) : null,
				(payload != null) ? Math.toIntExact(payload.toBytes()) : null, app.getMaxConnections(),
				app.getWebhooks());
	}

	@Bean
	@ConditionalOnMissingBean
	PusherConnections realtimePusherConnections() {
		return new PusherConnections();
	}

	@Bean
	@ConditionalOnMissingBean
	ProtocolStats realtimeProtocolStats() {
		return new ProtocolStats();
	}

	@Bean
	@ConditionalOnMissingBean
	HubConfig realtimeHubConfig(RealtimeProperties properties, ObjectProvider<PresenceDirectory> presenceDirectory,
			AppRegistry apps, ObjectProvider<OutboxWaitRecorder> outboxWaits) {
		int maxPresenceMembers = apps.defaultApp().settings().maxPresenceMembers(properties.getPresence().getMaxMembers());
		return HubConfig.builder()
			.outboxCapacity(properties.getOutbox().getCapacity())
			.slowConsumerPolicy(properties.getOutbox().getSlowConsumerPolicy())
			.sendTimeout(properties.getOutbox().getSendTimeout())
			.maxPresenceMembers(maxPresenceMembers)
			.shutdownTimeout(properties.getShutdownTimeout())
			.channelFrames(PusherFrames.INSTANCE)
			.presenceDirectory(presenceDirectory.getIfUnique())
			.outboxWaitRecorder(outboxWaits.getIfUnique())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	Hub realtimeHub(HubConfig config) {
		return new Hub(config);
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelStats realtimeChannelStats(Hub hub) {
		return ChannelStats.of(hub);
	}

	@Bean
	@ConditionalOnMissingBean
	BroadcastThreads realtimeBroadcastThreads() {
		return new BroadcastThreads();
	}

	@Bean
	@ConditionalOnMissingBean
	BroadcastRelay realtimeBroadcastRelay(Broadcaster broadcaster, Hub hub, AppHubs appHubs) {
		return new BroadcastRelay(broadcaster, hub, (appId) -> {
			AppHub appHub = appHubs.find(appId);
			return (appHub != null) ? appHub.hub() : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	GracefulShutdown realtimeGracefulShutdown(Broadcaster broadcaster, Hub hub,
			ObjectProvider<BroadcastThreads> broadcastThreads, RealtimeProperties properties,
			ObjectProvider<AppHubs> appHubs) {
		return new GracefulShutdown(broadcaster, hub, broadcastThreads.getIfAvailable(),
				properties.getShutdownTimeout(), appHubs.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	Realtime realtime(Broadcaster broadcaster, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ChannelCache> channelCache, AppRegistry apps, ObjectProvider<EventEncryptor> encryptor) {
		return new Realtime(broadcaster, jsonMapper.getIfAvailable(JsonMapper::shared), channelCache.getIfAvailable(),
				apps, encryptor.getIfAvailable());
	}

	private static String randomSecret() {
		byte[] bytes = new byte[20];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
