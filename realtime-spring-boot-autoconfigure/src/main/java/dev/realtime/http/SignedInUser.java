package dev.realtime.http;

import java.util.List;
import java.util.Objects;

import dev.realtime.pusher.ProtocolSettings;
import org.jspecify.annotations.Nullable;

/**
 * A user as the Pusher {@code user_data} describes it.
 *
 * @param id the user id: events sent to this id reach the connection
 * @param info extra information about the user, serialized as JSON into
 * {@code user_info}, or {@code null} for none
 * @param watchlist the ids of the users whose coming online and going offline the
 * connection is told ({@code pusher.user.watchlist} in pusher-js), at most
 * {@value ProtocolSettings#MAX_WATCHLIST_SIZE}; empty for none
 */
public record SignedInUser(String id, @Nullable Object info, List<String> watchlist) {

	public SignedInUser {
		Objects.requireNonNull(id, "id");
		if (id.isEmpty()) {
			throw new IllegalArgumentException("id must not be empty");
		}
		watchlist = List.copyOf(Objects.requireNonNull(watchlist, "watchlist"));
		if (watchlist.size() > ProtocolSettings.MAX_WATCHLIST_SIZE) {
			throw new IllegalArgumentException("watchlist has " + watchlist.size() + " user ids, at most "
					+ ProtocolSettings.MAX_WATCHLIST_SIZE + " allowed");
		}
		if (watchlist.stream().anyMatch(String::isEmpty)) {
			throw new IllegalArgumentException("watchlist user ids must not be empty");
		}
	}

	/**
	 * A user with extra information and no watchlist.
	 * @param id the user id
	 * @param info extra information, or {@code null}
	 */
	public SignedInUser(String id, @Nullable Object info) {
		this(id, info, List.of());
	}

	/**
	 * A user without extra information.
	 * @param id the user id
	 * @return the user
	 */
	public static SignedInUser of(String id) {
		return new SignedInUser(id, null);
	}

	/**
	 * This user, watching the given users.
	 * @param userIds the users to watch
	 * @return the user with that watchlist
	 */
	public SignedInUser watching(List<String> userIds) {
		return new SignedInUser(this.id, this.info, userIds);
	}

}
