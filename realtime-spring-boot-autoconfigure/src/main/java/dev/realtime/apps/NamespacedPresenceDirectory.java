package dev.realtime.apps;

import java.util.List;

import dev.realtime.Member;
import dev.realtime.PresenceDirectory;
import org.jspecify.annotations.Nullable;

/**
 * One app's view of a shared presence directory.
 */
final class NamespacedPresenceDirectory implements PresenceDirectory {

	private final AppNamespace namespace;

	private final PresenceDirectory shared;

	NamespacedPresenceDirectory(AppNamespace namespace, PresenceDirectory shared) {
		this.namespace = namespace;
		this.shared = shared;
	}

	@Override
	public @Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers) {
		return this.shared.join(this.namespace.qualify(channel), member, socketId, maxMembers);
	}

	@Override
	public @Nullable List<Member> observe(String channel, String socketId) {
		return this.shared.observe(this.namespace.qualify(channel), socketId);
	}

	@Override
	public void joined(String channel, String socketId) {
		this.shared.joined(this.namespace.qualify(channel), socketId);
	}

	@Override
	public boolean leave(String channel, Member member, String socketId) {
		return this.shared.leave(this.namespace.qualify(channel), member, socketId);
	}

}
