package dev.realtime.autoconfigure.security;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.security.EchoCsrfTokenRequestHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.web.servlet.ApplicationContextRequestMatcher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Spring Security support, when it is on the class path and configures web security:
 * <ul>
 * <li>{@code realtimeSecurityFilterChain}: a filter chain of its own, ordered before the
 * application's and Spring Boot's default one, for the Pusher HTTP API (authenticated by
 * its HMAC signature: no session, no CSRF token) and the WebSocket handshake (any client
 * may connect; private channels are authorized through the auth endpoints);</li>
 * <li>{@code realtimeCsrfCustomizer}: every filter chain's CSRF protection accepts, on the
 * auth endpoints, the token in laravel-echo's {@code X-CSRF-TOKEN} and axios'
 * {@code X-XSRF-TOKEN} header ({@link EchoCsrfTokenRequestHandler}); a chain that sets a
 * token request handler of its own keeps it;</li>
 * <li>{@code realtimeCorsCustomizer}, with {@code realtime.auth.allowed-origins}: every
 * filter chain answers CORS preflights from Spring MVC's CORS configuration (where the auth
 * endpoints' mappings are), before authentication.</li>
 * </ul>
 * The auth endpoints stay under the application's chain: they need its session and its
 * {@code Authentication}, which they pass to the {@code Authorizer} as the principal.
 * Each bean backs off when the application defines one of the same name.
 * <p>
 * Runs after Spring Boot's web security auto-configurations, whose default filter chains
 * back off as soon as any {@link SecurityFilterChain} bean is defined.
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, ApplicationContextRequestMatcher.class })
@ConditionalOnBooleanProperty(name = "realtime.enabled", matchIfMissing = true)
@ConditionalOnBean({ HttpSecurity.class, RealtimeProperties.class })
public final class RealtimeSecurityAutoConfiguration {

	/**
	 * Order of {@code realtimeSecurityFilterChain}: early, as it matches only the realtime
	 * endpoints that are not the application's to protect.
	 */
	public static final int FILTER_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	@Bean
	@Order(FILTER_CHAIN_ORDER)
	@ConditionalOnMissingBean(name = "realtimeSecurityFilterChain")
	SecurityFilterChain realtimeSecurityFilterChain(HttpSecurity http) {
		http.securityMatcher(new OrRequestMatcher(RealtimeRequest.toHttpApi(), RealtimeRequest.toWebSocket()))
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	@ConditionalOnMissingBean(name = "realtimeCsrfCustomizer")
	Customizer<CsrfConfigurer<HttpSecurity>> realtimeCsrfCustomizer() {
		EchoCsrfTokenRequestHandler handler = new EchoCsrfTokenRequestHandler(RealtimeRequest.toAuthEndpoints());
		return (csrf) -> csrf.csrfTokenRequestHandler(handler);
	}

	@Bean
	@ConditionalOnMissingBean(name = "realtimeCorsCustomizer")
	Customizer<HttpSecurity> realtimeCorsCustomizer(RealtimeProperties properties) {
		return (http) -> {
			if (!properties.getAuth().getAllowedOrigins().isEmpty()) {
				http.cors(Customizer.withDefaults());
			}
		};
	}

}
