package dev.realtime.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code realtime.*} property has a description (the Javadoc of its field).
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescription() throws Exception {
		URL classes = RealtimeProperties.class.getProtectionDomain().getCodeSource().getLocation();
		URL metadata = new URL(classes, "META-INF/spring-configuration-metadata.json");
		JsonNode root;
		try (InputStream in = metadata.openStream()) {
			root = JsonMapper.shared().readTree(in);
		}
		List<String> names = new ArrayList<>();
		List<String> undescribed = new ArrayList<>();
		for (JsonNode property : root.get("properties")) {
			String name = property.get("name").stringValue();
			names.add(name);
			JsonNode description = property.get("description");
			if (description == null || description.stringValue().isBlank() || description.stringValue().startsWith("The ")) {
				undescribed.add(name);
			}
		}
		assertThat(names).contains("realtime.apps", "realtime.path", "realtime.activity-timeout",
				"realtime.outbox.capacity", "realtime.presence.max-members", "realtime.client-events.rate-limit",
				"realtime.auth.path", "realtime.broadcaster", "realtime.encryption-master-key",
				"realtime.redis.key-prefix", "realtime.redis.node-id", "realtime.redis.node-ttl",
				"realtime.redis.command-timeout");
		assertThat(undescribed).isEmpty();
	}

}
