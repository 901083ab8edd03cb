package dev.realtime.redis;

import java.nio.charset.StandardCharsets;

import dev.realtime.broadcast.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The wire format of events on Redis channels.
 */
class EnvelopeTest {

	@Test
	void roundTripsAnEventWithMultiByteCharactersAndAnExceptSocket() {
		Event event = new Event("présence-😀", "client-ünïcode", "{\"text\":\"héllo 😀|:1\"}", "123.456");
		byte[] bytes = new Envelope(Envelope.EVENT, "node-a", event).encode();
		Envelope decoded = Envelope.decode("présence-😀", bytes);
		assertThat(decoded.kind()).isEqualTo(Envelope.EVENT);
		assertThat(decoded.origin()).isEqualTo("node-a");
		assertThat(decoded.event()).isEqualTo(event);
	}

	@Test
	void isCompactText() {
		byte[] bytes = new Envelope(Envelope.EVENT, "a1", new Event("ch", "my-event", "{\"a\":1}")).encode();
		assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("1E2:a10:8:my-event{\"a\":1}");
	}

	@Test
	void carriesTheSendersUserIdAsVersion2() {
		Event event = new Event("presence-room", "client-typing", "{}", "1.2", "älice");
		byte[] bytes = new Envelope(Envelope.EVENT, "a1", event).encode();
		assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("2E2:a13:1.213:client-typing6:älice{}");
		assertThat(Envelope.decode("presence-room", bytes).event()).isEqualTo(event);
	}

	@Test
	void writesVersion1WhenThereIsNoUserIdSoOlderNodesStillUnderstand() {
		byte[] bytes = new Envelope(Envelope.EVENT, "a1", new Event("ch", "e", "x", "1.2", null)).encode();
		assertThat(bytes[0]).isEqualTo((byte) '1');
		assertThat(Envelope.decode("ch", bytes).event().userId()).isNull();
	}

	@Test
	void decodesWhatThePresenceScriptsWrite() {
		Envelope envelope = Envelope.decode("presence-room",
				"1E0:7:1.2345628:pusher_internal:member_added{\"user_id\":\"u\"}".getBytes(StandardCharsets.UTF_8));
		assertThat(envelope.origin()).isEmpty();
		assertThat(envelope.event().name()).isEqualTo("pusher_internal:member_added");
		assertThat(envelope.event().exceptSocketId()).isEqualTo("1.23456");
		assertThat(envelope.event().payload()).isEqualTo("{\"user_id\":\"u\"}");
	}

	@Test
	void rejectsMalformedMessages() {
		for (String garbage : new String[] { "", "1", "2E0:0:1:x", "1X0:0:1:x", "1E", "1E0:0:0:", "1E5:ab",
				"1Eab:0:1:x", "1E0:0:9999999:x", "1E0:0-1:x", "2E0:0:1:x", "2E0:0:1:x9:u", "3E0:0:1:x" }) {
			assertThatIllegalArgumentException().as(garbage)
				.isThrownBy(() -> Envelope.decode("ch", garbage.getBytes(StandardCharsets.UTF_8)));
		}
	}

}
