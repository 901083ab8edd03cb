package dev.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The members of one presence channel, keyed by user id: a user with several connections
 * is one member, added with the first connection and removed with the last.
 * <p>
 * Changed only by the hub while it holds the channel's lock; read through
 * {@link #members()} from any thread.
 */
final class PresenceRoster {

	private final Map<String, Entry> byUser = new LinkedHashMap<>();

	private final int maxMembers;

	PresenceRoster(int maxMembers) {
		this.maxMembers = maxMembers;
	}

	/**
	 * Count one more connection of the member.
	 * @return {@code Boolean.TRUE} if the member is new, {@code FALSE} if the user was already
	 * a member, {@code null} if the roster is full
	 */
	synchronized @Nullable Boolean join(Member member) {
		Entry entry = this.byUser.get(member.id());
		if (entry != null) {
			entry.connections++;
			return Boolean.FALSE;
		}
		if (this.byUser.size() >= this.maxMembers) {
			return null;
		}
		this.byUser.put(member.id(), new Entry(member));
		return Boolean.TRUE;
	}

	/**
	 * Count one connection of the user less.
	 * @return the member if this was the user's last connection, else {@code null}
	 */
	synchronized @Nullable Member leave(String userId) {
		Entry entry = this.byUser.get(userId);
		if (entry == null) {
			return null;
		}
		if (--entry.connections > 0) {
			return null;
		}
		this.byUser.remove(userId);
		return entry.member;
	}

	synchronized List<Member> members() {
		List<Member> members = new ArrayList<>(this.byUser.size());
		for (Entry entry : this.byUser.values()) {
			members.add(entry.member);
		}
		return members;
	}

	synchronized int size() {
		return this.byUser.size();
	}

	private static final class Entry {

		private final Member member;

		private int connections = 1;

		Entry(Member member) {
			this.member = member;
		}

	}

}
