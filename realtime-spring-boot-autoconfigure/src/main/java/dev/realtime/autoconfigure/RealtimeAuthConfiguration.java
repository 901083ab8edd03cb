package dev.realtime.autoconfigure;

import java.util.Base64;
import java.util.List;

import dev.realtime.Authorizer;
import dev.realtime.http.ChannelAuthController;
import dev.realtime.http.RequestBodyLimitFilter;
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
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

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

	/**
	 * Reads at most {@code realtime.auth.max-body-size} of an auth request before any other
	 * filter, Spring Security's chain included, and before the {@code DispatcherServlet}
	 * could parse a multipart body.
	 * @param properties the realtime properties
	 * @return the registration of the filter for both auth paths
	 */
	@Bean
	@ConditionalOnMissingBean(name = "realtimeAuthBodyLimitFilter")
	FilterRegistrationBean<RequestBodyLimitFilter> realtimeAuthBodyLimitFilter(RealtimeProperties properties) {
		RealtimeProperties.Auth auth = properties.getAuth();
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				RequestBodyLimitFilter.forAuthEndpoints(auth.getMaxBodySize().toBytes()));
		registration.setUrlPatterns(List.of(auth.getPath(), auth.getUserPath()));
		registration.setOrder(RequestBodyLimitFilter.ORDER);
		return registration;
	}

	/**
	 * CORS for the auth endpoints ({@code realtime.auth.allowed-origins}), answered by Spring
	 * MVC; with Spring Security, {@code RealtimeSecurityAutoConfiguration} makes the filter
	 * chains consult the same configuration, so that preflights are not sent to the login.
	 * @param properties the realtime properties
	 * @return the configurer
	 */
	@Bean
	@ConditionalOnMissingBean(name = "realtimeAuthCorsConfigurer")
	WebMvcConfigurer realtimeAuthCorsConfigurer(RealtimeProperties properties) {
		return new AuthCorsConfigurer(properties.getAuth());
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

	/**
	 * Allows the configured origins to POST to both auth endpoints with the session cookie.
	 */
	private static final class AuthCorsConfigurer implements WebMvcConfigurer {

		private final RealtimeProperties.Auth auth;

		AuthCorsConfigurer(RealtimeProperties.Auth auth) {
			this.auth = auth;
		}

		@Override
		public void addCorsMappings(CorsRegistry registry) {
			if (this.auth.getAllowedOrigins().isEmpty()) {
				return;
			}
			String[] origins = this.auth.getAllowedOrigins().toArray(String[]::new);
			for (String path : new String[] { this.auth.getPath(), this.auth.getUserPath() }) {
				// Any request header: pusher-js sends the auth headers the page configured
				// (laravel-echo's X-CSRF-TOKEN, an Authorization, ...).
				registry.addMapping(path).allowedOriginPatterns(origins).allowedMethods("POST")
					.allowedHeaders("*").allowCredentials(true);
			}
		}

	}

}
