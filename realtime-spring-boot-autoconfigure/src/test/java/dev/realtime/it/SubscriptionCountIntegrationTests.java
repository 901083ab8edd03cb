package dev.realtime.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.realtime.pusher.SubscriptionCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pusher_internal:subscription_count} to raw WebSocket clients, with
 * {@code realtime.subscription-count.enabled} and a short interval.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "realtime.apps[0].id=1", "realtime.apps[0].key=count-key", "realtime.apps[0].secret=s",
				"realtime.subscription-count.enabled=true", "realtime.subscription-count.interval=200ms" })
class SubscriptionCountIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	@LocalServerPort
	private int port;

	private final List<PusherTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(PusherTestClient::close);
	}

	@Test
	void subscribersAreToldTheCountWhenItChangesAndOnlyThen() {
		PusherTestClient first = subscribed("counted");
		assertThat(nextCount(first, "counted")).isEqualTo(1);
		PusherTestClient second = subscribed("counted");
		assertThat(countAfterChanges(first, "counted", 2)).isEqualTo(2);
		assertThat(countAfterChanges(second, "counted", 2)).isEqualTo(2);
		// Unchanged: nothing more, whatever the rounds.
		first.expectNothing(INTERVAL.multipliedBy(4));
		second.send("pusher:unsubscribe", Map.of("channel", "counted"));
		assertThat(countAfterChanges(first, "counted", 1)).isEqualTo(1);
	}

	@Test
	void presenceChannelsAreNotCounted() {
		PusherTestClient client = PusherTestClient.connect(this.port, "count-key");
		this.clients.add(client);
		JsonNode auth = new AuthClient(this.port).authorize("alice", client.socketId(), "presence-counted");
		client.send("pusher:subscribe", Map.of("channel", "presence-counted", "auth", auth.get("auth").stringValue(),
				"channel_data", auth.get("channel_data").stringValue()));
		client.expect("pusher_internal:subscription_succeeded");
		client.expectNothing(INTERVAL.multipliedBy(5));
	}

	private PusherTestClient subscribed(String channel) {
		PusherTestClient client = PusherTestClient.connect(this.port, "count-key");
		this.clients.add(client);
		client.send("pusher:subscribe", Map.of("channel", channel));
		client.expect("pusher_internal:subscription_succeeded");
		return client;
	}

	private static int nextCount(PusherTestClient client, String channel) {
		JsonNode count = client.expect(SubscriptionCounts.EVENT);
		assertThat(count.get("channel").stringValue()).isEqualTo(channel);
		return count.get("data").get("subscription_count").asInt();
	}

	/** Counts in between may be told when the changes straddle a round. */
	private static int countAfterChanges(PusherTestClient client, String channel, int expected) {
		int count;
		do {
			count = nextCount(client, channel);
		}
		while (count != expected);
		return count;
	}

}
