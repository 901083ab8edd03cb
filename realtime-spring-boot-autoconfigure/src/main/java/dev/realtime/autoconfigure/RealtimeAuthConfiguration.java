package dev.realtime.autoconfigure;

import java.util.Base64;

import dev.realtime.Authorizer;
import dev.realtime.http.ChannelAuthController;
import dev.realtime.http.UserAuthController;
import dev.realtime.http.UserAuthenticator;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnections;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The auth endpoints clients call before joining private channels or signing in.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
final class RealtimeAuthConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChannelAuthController realtimeChannelAuthController(AppRegistry apps, PusherConnections connections,
			ObjectProvider<Authorizer> authorizer, ObjectProvider<JsonMapper> jsonMapper, ProtocolStats stats,
			RealtimeProperties properties) {
		return new ChannelAuthController(apps, connections, authorizer.getIfAvailable(),
				jsonMapper.getIfAvailable(JsonMapper::shared), stats,
				decodeMasterKey(properties.getEncryptionMasterKey()), properties.getAuth().getMaxBodySize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	UserAuthController realtimeUserAuthController(AppRegistry apps, PusherConnections connections,
			ObjectProvider<UserAuthenticator> authenticator, ObjectProvider<JsonMapper> jsonMapper,
			ProtocolStats stats, RealtimeProperties properties) {
		return new UserAuthController(apps, connections, authenticator.getIfAvailable(),
				jsonMapper.getIfAvailable(JsonMapper::shared), stats, properties.getAuth().getMaxBodySize().toBytes());
	}

	static byte @Nullable [] decodeMasterKey(@Nullable String base64) {
		if (base64 == null || base64.isBlank()) {
			return null;
		}
		byte[] key = Base64.getDecoder().decode(base64.trim());
		if (key.length != 32) {
			throw new IllegalArgumentException(
					"realtime.encryption-master-key must be the base64 of 32 bytes, got " + key.length + " bytes");
		}
		return key;
	}

}
