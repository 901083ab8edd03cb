package dev.realtime.sample;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deliberately tiny login: the user types a name, the session remembers it. No
 * passwords; stands in for whatever authentication a real application has.
 */
@RestController
class LoginController {

	@PostMapping("/login")
	ResponseEntity<Map<String, String>> login(@RequestParam String name,
			@RequestParam(defaultValue = "") String friends, HttpServletRequest request) {
		if (!ChatUser.isValidName(name)) {
			return ResponseEntity.badRequest()
				.body(Map.of("error", "Names have 1 to 32 letters, digits, '_' or '-'"));
		}
		List<String> friendNames = Arrays.stream(friends.split(","))
			.map(String::trim)
			.filter((friend) -> !friend.isEmpty())
			.distinct()
			.toList();
		if (friendNames.size() > ChatUser.MAX_FRIENDS || !friendNames.stream().allMatch(ChatUser::isValidName)) {
			return ResponseEntity.badRequest()
				.body(Map.of("error", "friends are at most " + ChatUser.MAX_FRIENDS + " comma-separated names"));
		}
		HttpSession previous = request.getSession(false);
		if (previous != null) {
			previous.invalidate();
		}
		request.getSession(true).setAttribute(ChatUser.SESSION_ATTRIBUTE, new ChatUser(name, friendNames));
		return ResponseEntity.ok(Map.of("name", name));
	}

	@PostMapping("/logout")
	ResponseEntity<Void> logout(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/me")
	ResponseEntity<Map<String, String>> me(@Nullable Principal principal) {
		return (principal != null) ? ResponseEntity.ok(Map.of("name", principal.getName()))
				: ResponseEntity.status(401).build();
	}

}
