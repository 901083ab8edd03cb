package dev.realtime.secured;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The page a browser lands on after the login. It carries what laravel-echo reads by
 * itself: the CSRF token in {@code <meta name="csrf-token">}, which Echo sends as
 * {@code X-CSRF-TOKEN} to the auth endpoints. The clients are loaded into it by the e2e
 * tests (a real application would bundle them).
 */
@RestController
class PageController {

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String page(Authentication user, CsrfToken csrf) {
		return """
				<!doctype html>
				<html>
				<head>
				<meta charset="utf-8">
				<meta name="csrf-token" content="%s">
				<title>realtime with Spring Security</title>
				</head>
				<body><p>Logged in as <span id="user">%s</span>.</p></body>
				</html>
				""".formatted(HtmlUtils.htmlEscape(csrf.getToken()), HtmlUtils.htmlEscape(user.getName()));
	}

}
