package dev.realtime.sample;

import java.time.Instant;
import java.util.Map;

import dev.realtime.pusher.Realtime;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes the server's time every second on the public channel {@code clock}: a public
 * channel needs no authorization, anyone may listen.
 */
@Component
class ServerClock {

	static final String CHANNEL = "clock";

	private final Realtime realtime;

	ServerClock(Realtime realtime) {
		this.realtime = realtime;
	}

	@Scheduled(fixedRateString = "${sample.clock.period:1s}")
	void tick() {
		this.realtime.publish(CHANNEL, "tick", Map.of("time", Instant.now().toString()));
	}

}
