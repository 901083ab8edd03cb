package dev.realtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChannelNames} and {@link ChannelType}.
 */
class ChannelNamesTest {

	@ParameterizedTest
	@CsvSource({ "news, PUBLIC", "private-x, PRIVATE", "private-encrypted-x, PRIVATE_ENCRYPTED",
			"presence-x, PRESENCE", "cache-x, CACHE", "private-cache-x, PRIVATE_CACHE",
			"private-encrypted-cache-x, PRIVATE_ENCRYPTED_CACHE", "presence-cache-x, PRESENCE_CACHE",
			"#server-to-user-42, SERVER_TO_USER", "#user-online-42, USER_ONLINE", "privatex, PUBLIC", "presence, PUBLIC", "x-private-y, PUBLIC" })
	void classifiesByPrefix(String channel, ChannelType type) {
		assertThat(ChannelType.classify(channel)).isEqualTo(type);
	}

	@Test
	void typeProperties() {
		assertThat(ChannelType.values()).filteredOn(ChannelType::requiresAuthorization)
			.containsExactlyInAnyOrder(ChannelType.PRIVATE, ChannelType.PRIVATE_ENCRYPTED, ChannelType.PRESENCE,
					ChannelType.PRIVATE_CACHE, ChannelType.PRIVATE_ENCRYPTED_CACHE, ChannelType.PRESENCE_CACHE);
		assertThat(ChannelType.values()).filteredOn(ChannelType::isPresence)
			.containsExactlyInAnyOrder(ChannelType.PRESENCE, ChannelType.PRESENCE_CACHE, ChannelType.USER_ONLINE);
		assertThat(ChannelType.values()).filteredOn(ChannelType::isEncrypted)
			.containsExactlyInAnyOrder(ChannelType.PRIVATE_ENCRYPTED, ChannelType.PRIVATE_ENCRYPTED_CACHE);
		assertThat(ChannelType.values()).filteredOn(ChannelType::isCache)
			.containsExactlyInAnyOrder(ChannelType.CACHE, ChannelType.PRIVATE_CACHE,
					ChannelType.PRIVATE_ENCRYPTED_CACHE, ChannelType.PRESENCE_CACHE);
		assertThat(ChannelType.values()).filteredOn((type) -> !type.isClientSubscribable())
			.containsExactly(ChannelType.SERVER_TO_USER, ChannelType.USER_ONLINE);
		assertThat(ChannelType.values()).filteredOn(ChannelType::isInternal)
			.containsExactly(ChannelType.SERVER_TO_USER, ChannelType.USER_ONLINE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "news", "private-chat.1", "presence-room_2", "A-Z_a-z0-9=@,.;", "cache-x" })
	void acceptsValidNames(String channel) {
		assertThat(ChannelNames.validate(channel)).isEqualTo(ChannelType.classify(channel));
	}

	@Test
	void acceptsTheLongestName() {
		assertThat(ChannelNames.validate("x".repeat(ChannelNames.MAX_LENGTH))).isEqualTo(ChannelType.PUBLIC);
		assertThat(ChannelNames.MAX_LENGTH).isEqualTo(164);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "with space", "slash/", "star*", "colon:", "newline\n", "tab\t", "quote\"",
			"accent-é", "#hash", "#server-to-user-1", "dollar$" })
	void rejectsInvalidNames(String channel) {
		assertThatExceptionOfType(InvalidChannelException.class).isThrownBy(() -> ChannelNames.validate(channel));
	}

	@Test
	void rejectsTooLongNames() {
		assertThatExceptionOfType(InvalidChannelException.class)
			.isThrownBy(() -> ChannelNames.validate("x".repeat(ChannelNames.MAX_LENGTH + 1)))
			.withMessageContaining("165");
	}

	@Test
	void serverToUserChannelName() {
		assertThat(ChannelNames.serverToUser("42")).isEqualTo("#server-to-user-42");
	}

}
