package dev.realtime.sample;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells the page which app key to connect with, so that {@code application.yml} stays
 * the only place it is written.
 */
@RestController
class ClientConfigController {

	private final String key;

	ClientConfigController(@Value("${realtime.apps[0].key}") String key) {
		this.key = key;
	}

	@GetMapping("/client-config")
	Map<String, String> config() {
		return Map.of("key", this.key);
	}

}
