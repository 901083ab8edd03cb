package dev.realtime.pusher;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pusher.rest.crypto.CryptoUtil;
import dev.realtime.InvalidChannelException;
import dev.realtime.broadcast.Event;
import dev.realtime.broadcast.MemoryBroadcaster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Realtime}.
 */
class RealtimeTests {

	private final MemoryBroadcaster broadcaster = new MemoryBroadcaster();

	private final List<Event> published = new CopyOnWriteArrayList<>();

	private final Realtime realtime = new Realtime(this.broadcaster, JsonMapper.shared());

	RealtimeTests() {
		this.broadcaster.subscribeAll(this.published::add);
	}

	@AfterEach
	void close() {
		this.broadcaster.close();
	}

	@Test
	void objectsAreSerializedOnceForAllChannels() {
		this.realtime.publish(List.of("a", "b"), "e", Map.of("k", "v"));
		await().until(() -> this.published.size() == 2);
		assertThat(this.published).extracting(Event::channel).containsExactly("a", "b");
		assertThat(this.published.get(0).payload()).isEqualTo("{\"k\":\"v\"}")
			.isSameAs(this.published.get(1).payload());
	}

	@Test
	void stringsAreSentAsIsAndNullAsJsonNull() {
		this.realtime.publish("a", "text", "hello");
		this.realtime.publish("a", "nothing", null);
		await().until(() -> this.published.size() == 2);
		assertThat(this.published).extracting(Event::payload).containsExactly("hello", "null");
	}

	@Test
	void preEncryptedStringsMayGoToEncryptedChannels() {
		this.realtime.publish("private-encrypted-x", "e", "{\"nonce\":\"n\",\"ciphertext\":\"c\"}");
		await().until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).payload()).contains("ciphertext");
	}

	@Test
	void withAnEncryptorEncryptedChannelsGetTheDataEncryptedWithTheirOwnKey() {
		byte[] masterKey = new byte[32];
		Realtime encrypting = new Realtime(this.broadcaster, JsonMapper.shared(), null,
				new SecretBoxEncryptor(masterKey));
		encrypting.publish(List.of("private-encrypted-a", "private-encrypted-b", "plain"), "e", Map.of("k", "v"));
		await().until(() -> this.published.size() == 3);
		assertThat(this.published.get(2).payload()).isEqualTo("{\"k\":\"v\"}");
		CryptoUtil sdk = new CryptoUtil(Base64.getEncoder().encodeToString(masterKey));
		for (Event event : this.published.subList(0, 2)) {
			assertThat(event.payload()).doesNotContain("\"k\"");
			assertThat(sdk.decrypt(event.channel(), SecretBoxEncryptorTests.message(event.payload())))
				.isEqualTo("{\"k\":\"v\"}");
		}
	}

	@Test
	void publishRawSendsTheDataAsGivenEvenToEncryptedChannels() {
		Realtime encrypting = new Realtime(this.broadcaster, JsonMapper.shared(), null,
				new SecretBoxEncryptor(new byte[32]));
		encrypting.publishRaw(List.of("private-encrypted-x"), "e", "{\"nonce\":\"n\",\"ciphertext\":\"c\"}", "1.2");
		await().until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).payload()).isEqualTo("{\"nonce\":\"n\",\"ciphertext\":\"c\"}");
		assertThat(this.published.get(0).exceptSocketId()).isEqualTo("1.2");
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> encrypting.publishRaw(List.of("ok", "not ok"), "e", "x", null));
	}

	@Test
	void publishExceptCarriesTheSocketId() {
		this.realtime.publishExcept("a", "e", "x", "1.2");
		await().until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).exceptSocketId()).isEqualTo("1.2");
	}

	@Test
	void sendToUserTargetsTheUsersChannel() {
		this.realtime.sendToUser("42", "nudge", Map.of());
		await().until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).channel()).isEqualTo("#server-to-user-42");
	}

	@Test
	void invalidChannelsPublishNothing() {
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.realtime.publish(List.of("ok", "not ok"), "e", "x"));
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> this.realtime.publish("#server-to-user-1", "e", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.realtime.publish("ok", "", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.realtime.sendToUser("", "e", "x"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.realtime.publish("private-encrypted-x", "e", Map.of("clear", "text")))
			.withMessageContaining("realtime.encryption-master-key");
		this.realtime.publish("marker", "e", "x");
		await().until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).channel()).isEqualTo("marker");
	}

}
