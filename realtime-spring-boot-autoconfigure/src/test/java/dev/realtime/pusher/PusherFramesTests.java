package dev.realtime.pusher;

import java.util.List;

import dev.realtime.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PusherFrames}: {@code data} is always a JSON string.
 */
class PusherFramesTests {

	@Test
	void eventQuotesTheDataOnce() {
		assertThat(PusherFrames.event("e", "c", "{\"a\":\"b\"}").text())
			.isEqualTo("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"{\\\"a\\\":\\\"b\\\"}\"}");
	}

	@Test
	void connectionEstablished() {
		assertThat(PusherFrames.connectionEstablished("1.2", 120).text()).isEqualTo(
				"{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.2\\\",\\\"activity_timeout\\\":120}\"}");
	}

	@Test
	void errorWithAndWithoutCode() {
		assertThat(PusherFrames.error(4001, "no").text())
			.isEqualTo("{\"event\":\"pusher:error\",\"data\":\"{\\\"code\\\":4001,\\\"message\\\":\\\"no\\\"}\"}");
		assertThat(PusherFrames.error(null, "x").text()).contains("\\\"code\\\":null");
	}

	@Test
	void presenceRoster() {
		String text = PusherFrames.INSTANCE
			.subscribed("presence-r", List.of(new Member("1", "{\"n\":1}"), new Member("2", "null")))
			.text();
		assertThat(text).isEqualTo("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"presence-r\","
				+ "\"data\":\"{\\\"presence\\\":{\\\"ids\\\":[\\\"1\\\",\\\"2\\\"],\\\"hash\\\":{\\\"1\\\":{\\\"n\\\":1},"
				+ "\\\"2\\\":null},\\\"count\\\":2}}\"}");
	}

	@Test
	void publicSubscriptionAndMemberEvents() {
		assertThat(PusherFrames.INSTANCE.subscribed("c", null).text()).endsWith("\"data\":\"{}\"}");
		assertThat(PusherFrames.INSTANCE.memberAdded("presence-r", new Member("7", "{}")).text())
			.contains("\\\"user_id\\\":\\\"7\\\",\\\"user_info\\\":{}");
		assertThat(PusherFrames.INSTANCE.memberRemoved("presence-r", new Member("7", "{}")).text())
			.contains("\"data\":\"{\\\"user_id\\\":\\\"7\\\"}\"");
	}

	@Test
	void watchlistEventsHaveNoChannel() {
		assertThat(PusherFrames.watchlistEvent(false, "u\"1").text())
			.isEqualTo("{\"event\":\"pusher_internal:watchlist_events\",\"data\":"
					+ "\"{\\\"events\\\":[{\\\"name\\\":\\\"offline\\\",\\\"user_ids\\\":[\\\"u\\\\\\\"1\\\"]}]}\"}");
	}

	@Test
	void memberEventsOnAUsersOnlineChannelAreItsWatchersWatchlistEvents() {
		Member vic = new Member("vic", "null");
		assertThat(PusherFrames.INSTANCE.memberAdded("#user-online-vic", vic).text())
			.isEqualTo(PusherFrames.watchlistEvent(true, "vic").text());
		assertThat(PusherFrames.INSTANCE.memberRemoved("#user-online-vic", vic).text())
			.isEqualTo(PusherFrames.watchlistEvent(false, "vic").text());
		assertThat(PusherFrames.INSTANCE.subscribed("#user-online-vic", List.of(vic)).text())
			.isEqualTo(PusherFrames.watchlistEvent(true, "vic").text());
		assertThat(PusherFrames.INSTANCE.subscribed("#user-online-vic", List.of())).isNull();
	}

	@Test
	void relayedMemberEventsOnAUsersOnlineChannelBecomeWatchlistEventsAndOthersAreDropped() {
		assertThat(PusherFrames.relayed("pusher_internal:member_added", "#user-online-vic", "{}", null).text())
			.isEqualTo(PusherFrames.watchlistEvent(true, "vic").text());
		assertThat(PusherFrames.relayed("pusher_internal:member_removed", "#user-online-vic", "{}", null).text())
			.isEqualTo(PusherFrames.watchlistEvent(false, "vic").text());
		assertThat(PusherFrames.relayed("spoof", "#user-online-vic", "{}", null)).isNull();
		assertThat(PusherFrames.relayed("e", "c", "{}", null).text()).isEqualTo(PusherFrames.event("e", "c", "{}").text());
		assertThat(PusherFrames.relayed("client-e", "presence-c", "{}", "u").text())
			.isEqualTo(PusherFrames.clientEvent("client-e", "presence-c", "{}", "u").text());
	}

	@Test
	void clientEventCarriesUserIdAtTopLevel() {
		assertThat(PusherFrames.clientEvent("client-a", "presence-r", "{}", "u1").text())
			.isEqualTo("{\"event\":\"client-a\",\"channel\":\"presence-r\",\"data\":\"{}\",\"user_id\":\"u1\"}");
	}

	@Test
	void controlCharactersAndQuotesAreEscaped() {
		assertThat(PusherFrames.event("e\"", null, "line\nbreak").text())
			.isEqualTo("{\"event\":\"e\\\"\",\"data\":\"line\\nbreak\"}");
	}

}
