package dev.realtime.http;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A user as the Pusher {@code user_data} describes it.
 *
 * @param id the user id: events sent to this id reach the connection
 * @param info extra information about the user, serialized as JSON into
 * {@code user_info}, or {@code null} for none
 */
public record SignedInUser(String id, @Nullable Object info) {

	public SignedInUser {
		Objects.requireNonNull(id, "id");
		if (id.isEmpty()) {
			throw new IllegalArgumentException("id must not be empty");
		}
	}

	/**
	 * A user without extra information.
	 * @param id the user id
	 * @return the user
	 */
	public static SignedInUser of(String id) {
		return new SignedInUser(id, null);
	}

}
