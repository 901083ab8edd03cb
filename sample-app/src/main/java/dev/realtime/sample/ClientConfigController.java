package dev.realtime.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.realtime.netty.NettyRealtimeServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells the page which app key to connect with, and on which port when the WebSocket
 * endpoint has its own ({@code realtime.transport=netty}), so that {@code application.yml}
 * stays the only place they are written.
 */
@RestController
class ClientConfigController {

	private final String key;

	private final ObjectProvider<NettyRealtimeServer> nettyServer;

	ClientConfigController(@Value("${realtime.apps[0].key}") String key,
			ObjectProvider<NettyRealtimeServer> nettyServer) {
		this.key = key;
		this.nettyServer = nettyServer;
	}

	@GetMapping("/client-config")
	Map<String, Object> config() {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("key", this.key);
		NettyRealtimeServer server = this.nettyServer.getIfAvailable();
		if (server != null) {
			config.put("wsPort", server.port());
		}
		return config;
	}

}
