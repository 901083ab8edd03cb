package dev.realtime.http;

import java.io.IOException;

import dev.realtime.pusher.App;
import dev.realtime.pusher.AppRegistry;
import dev.realtime.pusher.ProtocolStats;
import dev.realtime.pusher.PusherConnection;
import dev.realtime.pusher.PusherConnections;
import dev.realtime.pusher.PusherSignatures;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /broadcasting/user-auth} ({@code realtime.auth.user-path}): pusher-js asks
 * here to sign in its connection ({@code pusher.signin()}). The application's
 * {@link UserAuthenticator} names the user; without one, every request is denied.
 * <p>
 * Answers {@code 200 {"auth": ..., "user_data": ...}}, {@code 403} when denied and
 * {@code 400} for a malformed request, {@code 413} for a body over the limit (read no
 * further than that).
 */
@RestController
public class UserAuthController {

	private static final Log logger = LogFactory.getLog(UserAuthController.class);

	private final AppRegistry apps;

	private final PusherConnections connections;

	private final @Nullable UserAuthenticator authenticator;

	private final JsonMapper jsonMapper;

	private final AuthRequestParameters.Reader requestReader;

	private final ProtocolStats stats;

	/**
	 * Create the endpoint.
	 * @param apps the apps, for the signing secret
	 * @param connections this node's connections, to find a socket's app
	 * @param authenticator the application's authenticator, or {@code null} to deny
	 * everything
	 * @param jsonMapper writes the user data and responses
	 * @param stats counts denials
	 * @param maxBodySize the largest request body read, in bytes
	 */
	public UserAuthController(AppRegistry apps, PusherConnections connections, @Nullable UserAuthenticator authenticator,
			JsonMapper jsonMapper, ProtocolStats stats, long maxBodySize) {
		this.apps = apps;
		this.connections = connections;
		this.authenticator = authenticator;
		this.jsonMapper = jsonMapper;
		this.requestReader = new AuthRequestParameters.Reader(maxBodySize);
		this.stats = stats;
	}

	/**
	 * Authenticate a connection's user.
	 * @param request the request, with {@code socket_id}
	 * @return the signed user data, or an error status
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("${realtime.auth.user-path:/broadcasting/user-auth}")
	public ResponseEntity<String> authenticate(HttpServletRequest request) throws IOException {
		AuthRequestParameters parameters;
		try {
			parameters = this.requestReader.read(request);
		}
		catch (AuthRequestParameters.AuthRequestException ex) {
			return AuthResponses.error(this.jsonMapper, ex.status(), ex.getMessage());
		}
		String socketId = parameters.get("socket_id");
		if (!AuthRequestParameters.isSocketId(socketId)) {
			return AuthResponses.error(this.jsonMapper, HttpStatus.BAD_REQUEST, "socket_id is required");
		}
		SignedInUser user = authenticate(socketId, request);
		if (user == null) {
			this.stats.authDenied();
			return AuthResponses.error(this.jsonMapper, HttpStatus.FORBIDDEN, "Forbidden");
		}
		ObjectNode userData = this.jsonMapper.createObjectNode();
		userData.put("id", user.id());
		if (user.info() != null) {
			userData.set("user_info", this.jsonMapper.valueToTree(user.info()));
		}
		if (!user.watchlist().isEmpty()) {
			user.watchlist().forEach(userData.putArray("watchlist")::add);
		}
		String userDataJson = this.jsonMapper.writeValueAsString(userData);
		PusherConnection connection = this.connections.find(socketId);
		App app = (connection != null) ? connection.app() : this.apps.defaultApp();
		ObjectNode body = this.jsonMapper.createObjectNode();
		body.put("auth", PusherSignatures.userAuth(app, socketId, userDataJson));
		body.put("user_data", userDataJson);
		return AuthResponses.json(this.jsonMapper, HttpStatus.OK, body);
	}

	private @Nullable SignedInUser authenticate(String socketId, HttpServletRequest request) {
		if (this.authenticator == null) {
			logger.debug("Denied sign-in: no UserAuthenticator bean is defined");
			return null;
		}
		try {
			return this.authenticator.authenticate(socketId, request.getUserPrincipal());
		}
		catch (Exception ex) {
			logger.debug("Denied sign-in: the UserAuthenticator failed", ex);
			return null;
		}
	}

}
