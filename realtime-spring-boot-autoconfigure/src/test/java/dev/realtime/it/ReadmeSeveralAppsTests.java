package dev.realtime.it;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.AppSettings;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Several apps" section says what is tested: its configuration binds to the
 * apps and settings it describes, and its database registry is the tested
 * {@code JdbcAppRegistry} (whose test creates the README's table).
 */
class ReadmeSeveralAppsTests {

	private final Readme readme = Readme.section("## Several apps");

	@Test
	void theConfigurationGivesTheAppsAndSettingsItDescribes() {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ByteArrayResource(this.readme.blocks("yaml").get(0).getBytes()));
		Properties properties = yaml.getObject();
		// Not stringPropertyNames(): YAML gives booleans and numbers as such.
		String[] pairs = properties.keySet()
			.stream()
			.map((name) -> name + "=" + properties.get(name))
			.toArray(String[]::new);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
			.withPropertyValues(pairs)
			.run((context) -> {
				AppRegistry apps = context.getBean(AppRegistry.class);
				assertThat(apps.defaultApp()).isEqualTo(new App("shop", "shop-key", "change-me-shop"));
				assertThat(apps.findByKey("chat-key").settings()).isEqualTo(new AppSettings(true, false, 20, 512,
						32 * 1024, 500, List.of(URI.create("https://chat.example.com/pusher/webhooks"))));
				assertThat(apps.findById("legacy").settings().enabled()).isFalse();
			});
	}

	@Test
	void theDatabaseRegistryIsTheTestedExample() throws Exception {
		String example = Files.readString(
				Path.of("src", "test", "java", "dev", "realtime", "example", "JdbcAppRegistry.java"));
		List<String> java = this.readme.blocks("java");
		String registry = java.stream().filter((block) -> block.contains("class JdbcAppRegistry")).findFirst().orElseThrow();
		for (String line : registry.split("\n")) {
			assertThat(example).as("README line in JdbcAppRegistry.java").contains(line.strip());
		}
	}

}
