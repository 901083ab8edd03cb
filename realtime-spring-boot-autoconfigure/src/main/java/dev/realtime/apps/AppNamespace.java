package dev.realtime.apps;

import java.util.Objects;

import dev.realtime.ChannelListener;
import dev.realtime.ChannelStats;
import dev.realtime.PresenceDirectory;
import dev.realtime.PresenceEvent;
import dev.realtime.PresenceListener;
import dev.realtime.broadcast.Broadcaster;
import dev.realtime.broadcast.ChannelCache;
import dev.realtime.broadcast.Event;
import org.jspecify.annotations.Nullable;

/**
 * Where one app's channels live in engines that several apps share (a broadcaster, a
 * presence directory, Redis keys and pub/sub channels): the default app's channels under
 * their own names, every other app's under {@code ~{appId}:{channel}}.
 * <p>
 * No valid channel name starts with {@code ~} (and server-to-user channels start with
 * {@code #}), so a qualified name can never be a channel of the default app, and the app
 * id ends at the first {@code :}, which app ids may therefore not contain. The default
 * app keeps unqualified names so that a single-app deployment's keys and wire messages
 * stay as they were and its fan-out does no extra work.
 */
public final class AppNamespace {

	/** The default app's namespace: channel names as they are. */
	public static final AppNamespace DEFAULT = new AppNamespace(null);

	private static final char MARK = '~';

	private static final char END = ':';

	private final @Nullable String appId;

	private final String prefix;

	private AppNamespace(@Nullable String appId) {
		this.appId = appId;
		this.prefix = (appId != null) ? MARK + appId + END : "";
	}

	/**
	 * The namespace of an app other than the default one.
	 * @param appId the app id: not empty, without {@code :}
	 * @return its namespace
	 */
	public static AppNamespace of(String appId) {
		Objects.requireNonNull(appId, "appId");
		if (appId.isEmpty() || appId.indexOf(END) >= 0) {
			throw new IllegalArgumentException("An app id must be non-empty and must not contain ':', got " + appId);
		}
		return new AppNamespace(appId);
	}

	/**
	 * The app whose namespace a qualified channel name is in.
	 * @param channel a channel name as the shared engines know it
	 * @return the app id, or {@code null} for a channel of the default app
	 */
	public static @Nullable String appIdOf(String channel) {
		if (channel.isEmpty() || channel.charAt(0) != MARK) {
			return null;
		}
		int end = channel.indexOf(END);
		return (end > 1) ? channel.substring(1, end) : null;
	}

	/**
	 * Whether this is the default app's namespace.
	 * @return {@code true} for the default app
	 */
	public boolean isDefault() {
		return this.appId == null;
	}

	/**
	 * The name the shared engines know a channel of this app by.
	 * @param channel the app's channel name
	 * @return the qualified name
	 */
	public String qualify(String channel) {
		return this.prefix.isEmpty() ? channel : this.prefix + channel;
	}

	/**
	 * The app's own name for a channel of the shared engines, if it is this app's.
	 * @param qualified the name as the shared engines know it
	 * @return the app's channel name, or {@code null} if the channel belongs to another app
	 */
	public @Nullable String local(String qualified) {
		if (this.prefix.isEmpty()) {
			return (appIdOf(qualified) == null) ? qualified : null;
		}
		return qualified.startsWith(this.prefix) ? qualified.substring(this.prefix.length()) : null;
	}

	/**
	 * An event with its channel qualified.
	 * @param event the app's event
	 * @return the event as the shared engines carry it
	 */
	public Event qualify(Event event) {
		return this.prefix.isEmpty() ? event : withChannel(event, qualify(event.channel()));
	}

	static Event withChannel(Event event, String channel) {
		return new Event(channel, event.name(), event.payload(), event.exceptSocketId(), event.userId());
	}

	/**
	 * This app's view of a shared broadcaster: it publishes to and receives from this app's
	 * channels only. Closing the view leaves the shared broadcaster open.
	 * @param shared the broadcaster of every app
	 * @return the view
	 */
	public Broadcaster broadcaster(Broadcaster shared) {
		return new NamespacedBroadcaster(this, shared);
	}

	/**
	 * This app's view of a shared channel cache.
	 * @param shared the cache of every app
	 * @return the view
	 */
	public ChannelCache cache(ChannelCache shared) {
		return this.prefix.isEmpty() ? shared : new NamespacedChannelCache(this, shared);
	}

	/**
	 * This app's view of a shared presence directory.
	 * @param shared the directory of every app
	 * @return the view
	 */
	public PresenceDirectory presence(PresenceDirectory shared) {
		return this.prefix.isEmpty() ? shared : new NamespacedPresenceDirectory(this, shared);
	}

	/**
	 * This app's view of statistics over every app's channels.
	 * @param shared the statistics of every app
	 * @return the view: this app's channels only, under the app's names
	 */
	public ChannelStats stats(ChannelStats shared) {
		return new NamespacedChannelStats(this, shared);
	}

	/**
	 * A channel listener of the shared engines told this app's channel changes.
	 * @param shared the listener of every app
	 * @return the listener to register with this app's hub
	 */
	public ChannelListener listener(ChannelListener shared) {
		return this.prefix.isEmpty() ? shared : new NamespacedChannelListener(this, shared);
	}

	/**
	 * A listener of every app's member changes that passes on this app's only.
	 * @param listener the app's listener, told the app's channel names
	 * @return the listener to register with the shared source
	 */
	public PresenceListener presenceListener(PresenceListener listener) {
		return (event) -> {
			String channel = local(event.channel());
			if (channel != null) {
				listener.onPresence(new PresenceEvent(channel, event.joined(), event.member()));
			}
		};
	}

	@Override
	public String toString() {
		return isDefault() ? "AppNamespace[default]" : "AppNamespace[" + this.appId + "]";
	}

}
