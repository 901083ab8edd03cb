package dev.realtime.bench.stomp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A minimal STOMP server: the baseline the realtime load benchmark compares against.
 */
@SpringBootApplication
public class StompBaselineApplication {

	public static void main(String[] args) {
		SpringApplication.run(StompBaselineApplication.class, args);
	}

}
