package dev.realtime;

import java.util.Objects;

/**
 * A presence identity: the user id and the application's JSON-encoded user info.
 *
 * @param id the user id (one member per id, however many connections it has)
 * @param info the user info as a JSON text, {@code "{}"} or {@code "null"} when there is none
 */
public record Member(String id, String info) {

	public Member {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(info, "info");
	}

}
