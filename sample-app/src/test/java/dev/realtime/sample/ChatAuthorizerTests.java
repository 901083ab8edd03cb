package dev.realtime.sample;

import java.security.Principal;

import dev.realtime.AuthRequest;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.Member;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatAuthorizer}, through the starter's channel rules.
 */
class ChatAuthorizerTests {

	private final ChatAuthorizer authorizer = new ChatAuthorizer(JsonMapper.builder().build());

	private final ChatUser alice = new ChatUser("alice");

	@Test
	void loggedInUsersJoinTheChatAsThemselves() {
		AuthResult result = decide("presence-chat", this.alice);
		assertThat(result.allowed()).isTrue();
		assertThat(result.member()).isEqualTo(new Member("alice", "{\"name\":\"alice\"}"));
	}

	@Test
	void roomsArePresenceChannelsToo() {
		assertThat(decide("presence-chat-lobby", this.alice).member()).extracting(Member::id).isEqualTo("alice");
	}

	@Test
	void usersJoinTheirOwnInboxOnly() {
		assertThat(decide("private-user-alice", this.alice).allowed()).isTrue();
		assertThat(decide("private-user-bob", this.alice).allowed()).isFalse();
		assertThat(decide("private-encrypted-user-alice", this.alice).allowed()).isTrue();
		assertThat(decide("private-encrypted-user-bob", this.alice).allowed()).isFalse();
	}

	@Test
	void theAdminChannelIsDenied() {
		AuthResult result = decide("private-admin", this.alice);
		assertThat(result.allowed()).isFalse();
		assertThat(result.reason()).contains("private-admin");
	}

	@Test
	void anonymousRequestsAreDenied() {
		assertThat(decide("presence-chat", null).allowed()).isFalse();
		assertThat(decide("private-user-alice", null).allowed()).isFalse();
	}

	private AuthResult decide(String channel, @Nullable Principal user) {
		return Authorizer.decide(this.authorizer, AuthRequest.of(channel, "1.1", user));
	}

}
