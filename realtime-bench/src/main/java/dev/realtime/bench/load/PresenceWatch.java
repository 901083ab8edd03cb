package dev.realtime.bench.load;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A presence member that notes when each other member is removed: the Pusher protocol of
 * the node it connects to, plus the time of every {@code pusher_internal:member_removed}
 * by user id. Used to see how long a killed node's members stay in the roster of the
 * survivors.
 */
final class PresenceWatch implements Protocol {

	private static final Pattern USER_ID = Pattern.compile("user_id\\\\*\":\\\\*\"([^\"\\\\]+)");

	private final Protocol pusher;

	/** System.nanoTime() of each user's member_removed. */
	private final Map<String, Long> removed = new ConcurrentHashMap<>();

	PresenceWatch(Protocol pusher) {
		this.pusher = pusher;
	}

	/** When each removed user was announced, by user id. */
	Map<String, Long> removed() {
		return this.removed;
	}

	@Override
	public String name() {
		return this.pusher.name();
	}

	@Override
	public URI uri(String channel) {
		return this.pusher.uri(channel);
	}

	@Override
	public @Nullable String subprotocol() {
		return this.pusher.subprotocol();
	}

	@Override
	public void opened(Subscriber subscriber) {
		this.pusher.opened(subscriber);
	}

	@Override
	public void control(Subscriber subscriber, String text) {
		if (text.contains("pusher_internal:member_removed")) {
			Matcher matcher = USER_ID.matcher(text);
			if (matcher.find()) {
				this.removed.putIfAbsent(matcher.group(1), System.nanoTime());
			}
			return;
		}
		this.pusher.control(subscriber, text);
	}

	/** The user id PusherProtocol signs for a presence subscriber (from its socket id). */
	static String userId(Subscriber subscriber) {
		return "u" + subscriber.session().replace('.', '-');
	}

}
