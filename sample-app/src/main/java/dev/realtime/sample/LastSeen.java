package dev.realtime.sample;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.realtime.event.ConnectionClosedEvent;
import dev.realtime.event.SignedInEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Last seen" per user, kept from the starter's lifecycle events: a connection that signs
 * in makes its user online, the close of the user's last connection records when they
 * were last seen. {@code GET /last-seen} answers
 * {@code {"alice": {"online": true, "connections": 2, "lastSeen": null}, ...}} to logged-in
 * users.
 * <p>
 * The listeners run on the starter's event thread, never on a WebSocket thread, so even
 * a slow store (a database) here would not slow down the chat. Per node: with several
 * nodes, keep this in a shared store instead.
 */
@RestController
class LastSeen {

	private final Map<String, Seen> users = new ConcurrentHashMap<>();

	@EventListener
	void signedIn(SignedInEvent event) {
		this.users.merge(event.getUserId(), new Seen(1, null), (seen, one) -> new Seen(seen.connections() + 1, null));
	}

	@EventListener
	void closed(ConnectionClosedEvent event) {
		String userId = event.getUserId();
		if (userId != null) {
			Instant at = Instant.ofEpochMilli(event.getTimestamp());
			this.users.computeIfPresent(userId, (id, seen) -> new Seen(Math.max(0, seen.connections() - 1), at));
		}
	}

	@GetMapping("/last-seen")
	ResponseEntity<Map<String, Map<String, @Nullable Object>>> lastSeen(@Nullable Principal principal) {
		if (principal == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		Map<String, Map<String, @Nullable Object>> answer = new TreeMap<>();
		this.users.forEach((user, seen) -> {
			Map<String, @Nullable Object> entry = new TreeMap<>();
			entry.put("online", seen.connections() > 0);
			entry.put("connections", seen.connections());
			entry.put("lastSeen", (seen.connections() > 0 || seen.lastSeen() == null) ? null : seen.lastSeen().toString());
			answer.put(user, entry);
		});
		return ResponseEntity.ok(answer);
	}

	/**
	 * A user's open signed-in connections and when the last one closed.
	 */
	private record Seen(int connections, @Nullable Instant lastSeen) {
	}

}
