package dev.realtime.sample;

import java.security.Principal;
import java.util.Map;

import dev.realtime.pusher.Realtime;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the page asks the server to publish. Each endpoint shows one way of reaching
 * clients: a presence channel everyone in a room is on, one user's private channel (in
 * clear or encrypted), and a user's signed-in connections.
 */
@RestController
class ChatController {

	private static final int MAX_TEXT_LENGTH = 500;

	private final Realtime realtime;

	ChatController(Realtime realtime) {
		this.realtime = realtime;
	}

	/**
	 * Post a message to a room: {@code message} on {@code presence-chat[-room]}.
	 */
	@PostMapping("/messages")
	ResponseEntity<?> message(@Nullable Principal principal, @RequestParam String text,
			@RequestParam(defaultValue = "") String room) {
		if (principal == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		if (!room.isEmpty() && !ChatUser.isValidName(room) || !isValidText(text)) {
			return ResponseEntity.badRequest().build();
		}
		this.realtime.publish(ChatAuthorizer.room(room), "message", Map.of("user", principal.getName(), "text", text));
		return ResponseEntity.accepted().build();
	}

	/**
	 * Send a direct message: {@code direct} on the recipient's {@code private-user-{name}}.
	 */
	@PostMapping("/direct")
	ResponseEntity<?> direct(@Nullable Principal principal, @RequestParam String to, @RequestParam String text) {
		if (principal == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		if (!ChatUser.isValidName(to) || !isValidText(text)) {
			return ResponseEntity.badRequest().build();
		}
		this.realtime.publish(ChatAuthorizer.inbox(to), "direct", Map.of("from", principal.getName(), "text", text));
		return ResponseEntity.accepted().build();
	}

	/**
	 * Send a secret message: {@code secret} on the recipient's
	 * {@code private-encrypted-user-{name}}. The call is the same as for any channel; the
	 * starter encrypts the data with the channel's key, so the broadcaster and everything
	 * between the server and the recipient's browser carry only ciphertext.
	 */
	@PostMapping("/secret")
	ResponseEntity<?> secret(@Nullable Principal principal, @RequestParam String to, @RequestParam String text) {
		if (principal == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		if (!ChatUser.isValidName(to) || !isValidText(text)) {
			return ResponseEntity.badRequest().build();
		}
		this.realtime.publish(ChatAuthorizer.encryptedInbox(to), "secret",
				Map.of("from", principal.getName(), "text", text));
		return ResponseEntity.accepted().build();
	}

	/**
	 * Nudge a user: {@code nudge} to every connection the user signed in with.
	 */
	@PostMapping("/nudge")
	ResponseEntity<?> nudge(@Nullable Principal principal, @RequestParam String to) {
		if (principal == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		if (!ChatUser.isValidName(to)) {
			return ResponseEntity.badRequest().build();
		}
		this.realtime.sendToUser(to, "nudge", Map.of("from", principal.getName()));
		return ResponseEntity.accepted().build();
	}

	private static boolean isValidText(String text) {
		return !text.isBlank() && text.length() <= MAX_TEXT_LENGTH;
	}

}
