package dev.realtime.secured;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A page behind a login, channels authorized by role. The security configuration is the
 * application's own and says nothing about the realtime endpoints: the starter gives the
 * HTTP API and the WebSocket handshake a chain of its own, and the auth endpoints fall
 * under this one (login required, CSRF checked).
 */
@SpringBootApplication
public class SecuredApplication {

	/**
	 * Every page requires a login, through Spring Security's own login form.
	 * @param http the builder
	 * @return the application's chain
	 */
	@Bean
	SecurityFilterChain applicationSecurityFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.build();
	}

	/**
	 * Two demo users (passwords in clear for the demo only): alice, and bob who is also an
	 * admin.
	 * @return the users
	 */
	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice-password").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob-password").roles("USER", "ADMIN").build());
	}

	/**
	 * Start the application.
	 * @param args command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(SecuredApplication.class, args);
	}

}
