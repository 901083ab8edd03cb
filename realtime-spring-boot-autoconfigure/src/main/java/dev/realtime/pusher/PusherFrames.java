package dev.realtime.pusher;

import java.util.Collection;

import dev.realtime.ChannelFrames;
import dev.realtime.ChannelType;
import dev.realtime.Frame;
import dev.realtime.Member;
import org.jspecify.annotations.Nullable;

/**
 * Encodes server-to-client Pusher messages:
 * {@code {"event":..,"channel":..,"data":".."}}, where {@code data} is always a JSON
 * string (the payload's JSON text, quoted once more), as every client expects.
 * <p>
 * Also the hub's {@link ChannelFrames}: subscription confirmations with the presence
 * roster, and member added/removed, which on a {@link ChannelType#USER_ONLINE} channel
 * are the watchers' {@code pusher_internal:watchlist_events} instead.
 */
public final class PusherFrames implements ChannelFrames {

	/** The one instance. */
	public static final PusherFrames INSTANCE = new PusherFrames();

	private static final String USER_ONLINE_PREFIX = ChannelType.USER_ONLINE.prefix();

	private static final Frame PONG = Frame.text(message(PusherEvents.PONG, null, "{}"));

	private static final Frame PING = Frame.text(message(PusherEvents.PING, null, "{}"));

	private PusherFrames() {
	}

	/**
	 * An event on a channel.
	 * @param event the event name
	 * @param channel the channel, or {@code null} for connection-level events
	 * @param data the data text (sent quoted as a JSON string)
	 * @return the frame
	 */
	public static Frame event(String event, @Nullable String channel, String data) {
		return Frame.text(message(event, channel, data));
	}

	/**
	 * A client event relayed on a presence channel, with the sender's user id at the top
	 * level.
	 * @param event the event name
	 * @param channel the channel
	 * @param data the data text
	 * @param userId the sender's user id
	 * @return the frame
	 */
	public static Frame clientEvent(String event, String channel, String data, String userId) {
		StringBuilder json = start(event, channel, data);
		json.append(",\"user_id\":");
		quote(json, userId);
		return Frame.text(json.append('}').toString());
	}

	/**
	 * {@code pusher:connection_established}.
	 * @param socketId the socket id
	 * @param activityTimeoutSeconds the activity timeout told to the client
	 * @return the frame
	 */
	public static Frame connectionEstablished(String socketId, long activityTimeoutSeconds) {
		StringBuilder data = new StringBuilder(64).append("{\"socket_id\":");
		quote(data, socketId);
		data.append(",\"activity_timeout\":").append(activityTimeoutSeconds).append('}');
		return event(PusherEvents.CONNECTION_ESTABLISHED, null, data.toString());
	}

	/**
	 * {@code pusher:error}.
	 * @param code the error code, or {@code null} for a non-fatal error
	 * @param message the message
	 * @return the frame
	 */
	public static Frame error(@Nullable Integer code, String message) {
		StringBuilder data = new StringBuilder(64).append("{\"code\":").append(code).append(",\"message\":");
		quote(data, message);
		return event(PusherEvents.ERROR, null, data.append('}').toString());
	}

	/**
	 * {@code pusher:subscription_error}, as pusher-js reads it: {@code type}, {@code error},
	 * {@code status}.
	 * @param channel the channel
	 * @param type the error type, such as {@code AuthError}
	 * @param message what went wrong
	 * @param status an HTTP-like status
	 * @return the frame
	 */
	public static Frame subscriptionError(String channel, String type, String message, int status) {
		StringBuilder data = new StringBuilder(64).append("{\"type\":");
		quote(data, type);
		data.append(",\"error\":");
		quote(data, message);
		data.append(",\"status\":").append(status).append('}');
		return event(PusherEvents.SUBSCRIPTION_ERROR, channel, data.toString());
	}

	/**
	 * {@code pusher:signin_success}.
	 * @param userData the user data the client signed in with
	 * @return the frame
	 */
	public static Frame signinSuccess(String userData) {
		StringBuilder data = new StringBuilder(64).append("{\"user_data\":");
		quote(data, userData);
		return event(PusherEvents.SIGNIN_SUCCESS, null, data.append('}').toString());
	}

	/**
	 * {@code pusher:pong}.
	 * @return the shared frame
	 */
	public static Frame pong() {
		return PONG;
	}

	/**
	 * {@code pusher:ping}.
	 * @return the shared frame
	 */
	public static Frame ping() {
		return PING;
	}

	/**
	 * {@code pusher_internal:watchlist_events} with one event.
	 * @param online {@code true} for {@code online}, {@code false} for {@code offline}
	 * @param userId the user who came online or went offline
	 * @return the frame
	 */
	public static Frame watchlistEvent(boolean online, String userId) {
		StringBuilder data = new StringBuilder(48).append("{\"events\":[{\"name\":\"")
			.append(online ? "online" : "offline")
			.append("\",\"user_ids\":[");
		quote(data, userId);
		return event(PusherEvents.WATCHLIST_EVENTS, null, data.append("]}]}").toString());
	}

	/**
	 * The frame for an event that came through the broadcaster. Member announcements on
	 * a {@link ChannelType#USER_ONLINE} channel (made by a cluster presence directory)
	 * become the watchers' {@code watchlist_events}.
	 * @param event the event name
	 * @param channel the channel, as the hub knows it
	 * @param data the data text
	 * @param userId the sender of a client event on a presence channel, or {@code null}
	 * @return the frame, or {@code null} for an event on a {@code USER_ONLINE} channel that is
	 * no member announcement
	 */
	public static @Nullable Frame relayed(String event, String channel, String data, @Nullable String userId) {
		if (channel.startsWith(USER_ONLINE_PREFIX)) {
			boolean added = event.equals(PusherEvents.MEMBER_ADDED);
			return (added || event.equals(PusherEvents.MEMBER_REMOVED))
					? watchlistEvent(added, channel.substring(USER_ONLINE_PREFIX.length())) : null;
		}
		return (userId != null) ? clientEvent(event, channel, data, userId) : event(event, channel, data);
	}

	@Override
	public @Nullable Frame subscribed(String channel, @Nullable Collection<Member> roster) {
		if (channel.startsWith(USER_ONLINE_PREFIX)) {
			// A watcher's confirmation: the user is online if the roster has the user.
			return (roster != null && !roster.isEmpty()) ? watchlistEvent(true, roster.iterator().next().id()) : null;
		}
		if (roster == null) {
			return event(PusherEvents.SUBSCRIPTION_SUCCEEDED, channel, "{}");
		}
		StringBuilder ids = new StringBuilder(16 + roster.size() * 16).append('[');
		StringBuilder hash = new StringBuilder(16 + roster.size() * 32).append('{');
		boolean first = true;
		for (Member member : roster) {
			if (!first) {
				ids.append(',');
				hash.append(',');
			}
			first = false;
			quote(ids, member.id());
			quote(hash, member.id());
			hash.append(':').append(member.info());
		}
		String data = "{\"presence\":{\"ids\":" + ids.append(']') + ",\"hash\":" + hash.append('}') + ",\"count\":"
				+ roster.size() + "}}";
		return event(PusherEvents.SUBSCRIPTION_SUCCEEDED, channel, data);
	}

	@Override
	public Frame memberAdded(String channel, Member member) {
		if (channel.startsWith(USER_ONLINE_PREFIX)) {
			return watchlistEvent(true, member.id());
		}
		StringBuilder data = new StringBuilder(64).append("{\"user_id\":");
		quote(data, member.id());
		data.append(",\"user_info\":").append(member.info()).append('}');
		return event(PusherEvents.MEMBER_ADDED, channel, data.toString());
	}

	@Override
	public Frame memberRemoved(String channel, Member member) {
		if (channel.startsWith(USER_ONLINE_PREFIX)) {
			return watchlistEvent(false, member.id());
		}
		StringBuilder data = new StringBuilder(32).append("{\"user_id\":");
		quote(data, member.id());
		return event(PusherEvents.MEMBER_REMOVED, channel, data.append('}').toString());
	}

	private static String message(String event, @Nullable String channel, String data) {
		return start(event, channel, data).append('}').toString();
	}

	private static StringBuilder start(String event, @Nullable String channel, String data) {
		StringBuilder json = new StringBuilder(32 + event.length() + data.length() + 16);
		json.append("{\"event\":");
		quote(json, event);
		if (channel != null) {
			json.append(",\"channel\":");
			quote(json, channel);
		}
		json.append(",\"data\":");
		quote(json, data);
		return json;
	}

	private static void quote(StringBuilder json, String text) {
		JsonQuoting.quote(json, text);
	}

}
