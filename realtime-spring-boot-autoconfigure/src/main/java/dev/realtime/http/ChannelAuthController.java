package dev.realtime.http;

import java.io.IOException;

import dev.realtime.AuthRequest;
import dev.realtime.AuthResult;
import dev.realtime.Authorizer;
import dev.realtime.ChannelNames;
import dev.realtime.ChannelType;
import dev.realtime.InvalidChannelException;
import dev.realtime.Member;
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
 * {@code POST /broadcasting/auth} ({@code realtime.auth.path}): pusher-js asks here
 * whether its connection may join a private, encrypted or presence channel. The
 * application's {@link Authorizer} decides, with the request's principal as the user;
 * without one, every request is denied.
 * <p>
 * Answers {@code 200 {"auth": ..., "channel_data"?: ..., "shared_secret"?: ...}},
 * {@code 403} when denied and {@code 400} for a malformed request.
 */
@RestController
public class ChannelAuthController {

	private static final Log logger = LogFactory.getLog(ChannelAuthController.class);

	private final AppRegistry apps;

	private final PusherConnections connections;

	private final @Nullable Authorizer authorizer;

	private final JsonMapper jsonMapper;

	private final AuthRequestParameters.Reader requestReader;

	private final ProtocolStats stats;

	private final byte @Nullable [] encryptionMasterKey;

	/**
	 * Create the endpoint.
	 * @param apps the apps, for the signing secret
	 * @param connections this node's connections, to find a socket's app
	 * @param authorizer the application's authorizer, or {@code null} to deny everything
	 * @param jsonMapper writes responses
	 * @param stats counts denials
	 * @param encryptionMasterKey the master key of encrypted channels, or {@code null}
	 * @param maxBodySize the largest request body read, in bytes
	 */
	public ChannelAuthController(AppRegistry apps, PusherConnections connections, @Nullable Authorizer authorizer,
			JsonMapper jsonMapper, ProtocolStats stats, byte @Nullable [] encryptionMasterKey, long maxBodySize) {
		this.apps = apps;
		this.connections = connections;
		this.authorizer = authorizer;
		this.jsonMapper = jsonMapper;
		this.requestReader = new AuthRequestParameters.Reader(maxBodySize);
		this.stats = stats;
		this.encryptionMasterKey = encryptionMasterKey;
	}

	/**
	 * Authorize a channel subscription.
	 * @param request the request, with {@code socket_id} and {@code channel_name}
	 * @return the signed authorization, or an error status
	 * @throws IOException if the body cannot be read
	 */
	@PostMapping("${realtime.auth.path:/broadcasting/auth}")
	public ResponseEntity<String> authorize(HttpServletRequest request) throws IOException {
		AuthRequestParameters parameters;
		try {
			parameters = this.requestReader.read(request);
		}
		catch (AuthRequestParameters.AuthRequestException ex) {
			return AuthResponses.error(this.jsonMapper, ex.status(), ex.getMessage());
		}
		String socketId = parameters.get("socket_id");
		String channel = parameters.get("channel_name");
		if (!AuthRequestParameters.isSocketId(socketId) || channel == null) {
			return AuthResponses.error(this.jsonMapper, HttpStatus.BAD_REQUEST, "socket_id and channel_name are required");
		}
		ChannelType type;
		try {
			type = ChannelNames.validate(channel);
		}
		catch (InvalidChannelException ex) {
			return AuthResponses.error(this.jsonMapper, HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		if (type.isEncrypted() && this.encryptionMasterKey == null) {
			logger.warn("Cannot authorize encrypted channel " + channel + ": realtime.encryption-master-key is not set");
			return AuthResponses.error(this.jsonMapper, HttpStatus.INTERNAL_SERVER_ERROR, "encrypted channels are not configured");
		}
		AuthResult result = Authorizer.decide(this.authorizer,
				new AuthRequest(channel, type, socketId, request.getUserPrincipal()));
		if (!result.allowed()) {
			this.stats.authDenied();
			if (logger.isDebugEnabled()) {
				logger.debug("Denied " + socketId + " joining " + channel + ": " + result.reason());
			}
			return AuthResponses.error(this.jsonMapper, HttpStatus.FORBIDDEN, "Forbidden");
		}
		App app = appOf(socketId);
		ObjectNode body = this.jsonMapper.createObjectNode();
		Member member = result.member();
		String channelData = null;
		if (type.isPresence() && member != null) {
			channelData = channelData(member);
			body.put("channel_data", channelData);
		}
		body.put("auth", PusherSignatures.channelAuth(app, socketId, channel, channelData));
		if (type.isEncrypted() && this.encryptionMasterKey != null) {
			body.put("shared_secret", PusherSignatures.sharedSecret(channel, this.encryptionMasterKey));
		}
		return AuthResponses.json(this.jsonMapper, HttpStatus.OK, body);
	}

	private String channelData(Member member) {
		ObjectNode data = this.jsonMapper.createObjectNode();
		data.put("user_id", member.id());
		data.set("user_info", this.jsonMapper.readTree(member.info()));
		return this.jsonMapper.writeValueAsString(data);
	}

	private App appOf(String socketId) {
		PusherConnection connection = this.connections.find(socketId);
		return (connection != null) ? connection.app() : this.apps.defaultApp();
	}

}
