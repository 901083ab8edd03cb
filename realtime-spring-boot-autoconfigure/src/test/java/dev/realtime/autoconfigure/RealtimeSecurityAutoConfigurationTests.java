package dev.realtime.autoconfigure;

import java.util.List;

import dev.realtime.autoconfigure.security.RealtimeSecurityAutoConfiguration;
import dev.realtime.http.ChannelAuthController;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RealtimeSecurityAutoConfiguration}: beside Spring Boot's default filter chain or
 * the application's, never instead of them.
 */
class RealtimeSecurityAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class, RealtimeSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class));

	@Test
	void withSpringSecurityTheRealtimeChainComesBeforeBootsDefaultChain() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("realtimeSecurityFilterChain")
				.hasBean("defaultSecurityFilterChain")
				.hasBean("realtimeCsrfCustomizer")
				.hasBean("realtimeCorsCustomizer");
			List<SecurityFilterChain> chains = context.getBean(FilterChainProxy.class).getFilterChains();
			assertThat(chains).hasSize(2);
			assertThat(chains.get(0)).isSameAs(context.getBean("realtimeSecurityFilterChain"));
		});
	}

	@Test
	void anApplicationsChainKeepsTheRealtimeChainBeforeIt() {
		this.contextRunner.withUserConfiguration(PermitAllChain.class).run((context) -> {
			assertThat(context).hasBean("realtimeSecurityFilterChain")
				.hasBean("applicationChain")
				.doesNotHaveBean("defaultSecurityFilterChain");
			List<SecurityFilterChain> chains = context.getBean(FilterChainProxy.class).getFilterChains();
			assertThat(chains).containsExactly(context.getBean("realtimeSecurityFilterChain", SecurityFilterChain.class),
					context.getBean("applicationChain", SecurityFilterChain.class));
		});
	}

	@Test
	void anApplicationsBeanOfTheSameNameReplacesTheRealtimeChain() {
		this.contextRunner.withUserConfiguration(OwnRealtimeChain.class).run((context) -> {
			List<SecurityFilterChain> chains = context.getBean(FilterChainProxy.class).getFilterChains();
			assertThat(chains).containsExactly(context.getBean("realtimeSecurityFilterChain", SecurityFilterChain.class));
			assertThat(context.getBean("realtimeSecurityFilterChain")).isSameAs(OwnRealtimeChain.chain);
		});
	}

	@Test
	void withoutSpringSecurityOnTheClassPathItBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ChannelAuthController.class)
				.doesNotHaveBean("realtimeSecurityFilterChain")
				.doesNotHaveBean("realtimeCsrfCustomizer");
		});
	}

	@Test
	void withSpringSecurityButNoWebSecurityConfiguredItBacksOff() {
		new WebApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(RealtimeAutoConfiguration.class, RealtimeSecurityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("realtimeSecurityFilterChain"));
	}

	@Test
	void whenRealtimeIsDisabledItBacksOff() {
		this.contextRunner.withPropertyValues("realtime.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("defaultSecurityFilterChain")
				.doesNotHaveBean("realtimeSecurityFilterChain"));
	}

	@Configuration(proxyBeanMethods = false)
	static class PermitAllChain {

		@Bean
		SecurityFilterChain applicationChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRealtimeChain {

		static SecurityFilterChain chain;

		@Bean
		SecurityFilterChain realtimeSecurityFilterChain(HttpSecurity http) {
			chain = http.securityMatcher(AnyRequestMatcher.INSTANCE)
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.build();
			return chain;
		}

	}

}
