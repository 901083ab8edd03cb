package dev.realtime.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated nginx configuration for nchan on a loopback port: WebSocket subscribers at
 * {@code /sub/{channel}}, publishing by {@code POST /pub/{channel}}, new subscribers
 * starting at the next message (not replaying the buffer).
 */
final class NchanConfig {

	private NchanConfig() {
	}

	static Path write(Path prefix, int port) throws IOException {
		Files.createDirectories(prefix.resolve("temp"));
		Path config = prefix.resolve("nginx.conf");
		Files.writeString(config, """
				worker_processes auto;
				worker_rlimit_nofile 65536;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
				events {
				  worker_connections 32768;
				}
				http {
				  access_log off;
				  client_body_temp_path %1$s/temp/body;
				  proxy_temp_path %1$s/temp/proxy;
				  fastcgi_temp_path %1$s/temp/fastcgi;
				  uwsgi_temp_path %1$s/temp/uwsgi;
				  scgi_temp_path %1$s/temp/scgi;
				  nchan_shared_memory_size 256M;
				  server {
				    listen 127.0.0.1:%2$d;
				    location ~ ^/sub/([\\w-]+)$ {
				      nchan_subscriber websocket;
				      nchan_channel_id $1;
				      nchan_subscriber_first_message newest;
				    }
				    location ~ ^/pub/([\\w-]+)$ {
				      nchan_publisher;
				      nchan_channel_id $1;
				      nchan_message_buffer_length 16;
				      nchan_message_timeout 30s;
				    }
				  }
				}
				""".formatted(prefix.toAbsolutePath(), port));
		return config;
	}

}
