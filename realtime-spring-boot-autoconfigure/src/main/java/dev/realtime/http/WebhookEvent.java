package dev.realtime.http;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event of a webhook body, with the fields Pusher sends for its type.
 *
 * @param type the event type
 * @param channel the channel
 * @param userId the member ({@code member_added}, {@code member_removed}) or the sender of a
 * client event on a presence channel, else {@code null}
 * @param event the client event's name, else {@code null}
 * @param data the client event's data, else {@code null}
 * @param socketId the socket id that sent the client event, else {@code null}
 * @param subscriptionCount the count of a {@code subscription_count} event, else
 * {@code null}
 */
public record WebhookEvent(WebhookEventType type, String channel, @Nullable String userId, @Nullable String event,
		@Nullable String data, @Nullable String socketId, @Nullable Integer subscriptionCount) {

	public WebhookEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(channel, "channel");
	}

	/**
	 * A channel-level event ({@code channel_occupied}, {@code channel_vacated},
	 * {@code cache_miss}).
	 * @param type the type
	 * @param channel the channel
	 * @return the event
	 */
	public static WebhookEvent of(WebhookEventType type, String channel) {
		return new WebhookEvent(type, channel, null, null, null, null, null);
	}

	/**
	 * A member event ({@code member_added}, {@code member_removed}).
	 * @param type the type
	 * @param channel the presence channel
	 * @param userId the user
	 * @return the event
	 */
	public static WebhookEvent member(WebhookEventType type, String channel, String userId) {
		return new WebhookEvent(type, channel, userId, null, null, null, null);
	}

	/**
	 * A {@code client_event}.
	 * @param channel the channel
	 * @param event the client event's name
	 * @param data its data
	 * @param socketId the sender's socket id
	 * @param userId the sender's user id on presence channels, else {@code null}
	 * @return the event
	 */
	public static WebhookEvent clientEvent(String channel, String event, String data, String socketId,
			@Nullable String userId) {
		return new WebhookEvent(WebhookEventType.CLIENT_EVENT, channel, userId, event, data, socketId, null);
	}

	/**
	 * A {@code subscription_count} event.
	 * @param channel the channel
	 * @param count the subscription count
	 * @return the event
	 */
	public static WebhookEvent subscriptionCount(String channel, int count) {
		return new WebhookEvent(WebhookEventType.SUBSCRIPTION_COUNT, channel, null, null, null, null, count);
	}

	/**
	 * Write the event's fields as Pusher does: {@code name}, {@code channel}, then the
	 * fields of its type.
	 * @param json the object to write to
	 */
	public void writeTo(ObjectNode json) {
		json.put("name", this.type.wireName());
		json.put("channel", this.channel);
		if (this.event != null) {
			json.put("event", this.event);
		}
		if (this.data != null) {
			json.put("data", this.data);
		}
		if (this.socketId != null) {
			json.put("socket_id", this.socketId);
		}
		if (this.userId != null) {
			json.put("user_id", this.userId);
		}
		if (this.subscriptionCount != null) {
			json.put("subscription_count", this.subscriptionCount);
		}
	}

}
