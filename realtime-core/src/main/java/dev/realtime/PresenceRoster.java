package dev.realtime;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The members of one presence channel, keyed by user id: a user with several connections
 * is one member, added with the first connection and removed with the last.
 * <p>
 * Changed only by the hub while it holds the channel's lock. The members in join order
 * are kept as an immutable list, replaced whenever a member comes or goes (O(n), like the
 * channel's subscriber array), so {@link #members()} is an O(1) snapshot from any thread:
 * a join takes one under the lock and leaves the O(n) encoding of it to the newcomer's
 * writer.
 */
final class PresenceRoster {

	private final Map<String, Entry> byUser = new HashMap<>();

	private final int maxMembers;

	private volatile List<Member> members = List.of();

	PresenceRoster(int maxMembers) {
		this.maxMembers = maxMembers;
	}

	/**
	 * Count one more connection of the member.
	 * @return {@code Boolean.TRUE} if the member is new, {@code FALSE} if the user was already
	 * a member, {@code null} if the roster is full
	 */
	@Nullable Boolean join(Member member) {
		Entry entry = this.byUser.get(member.id());
		if (entry != null) {
			entry.connections++;
			return Boolean.FALSE;
		}
		if (this.byUser.size() >= this.maxMembers) {
			return null;
		}
		this.byUser.put(member.id(), new Entry(member));
		List<Member> current = this.members;
		Member[] next = current.toArray(new Member[current.size() + 1]);
		next[current.size()] = member;
		this.members = Collections.unmodifiableList(Arrays.asList(next));
		return Boolean.TRUE;
	}

	/**
	 * Count one connection of the user less.
	 * @return the member if this was the user's last connection, else {@code null}
	 */
	@Nullable Member leave(String userId) {
		Entry entry = this.byUser.get(userId);
		if (entry == null) {
			return null;
		}
		if (--entry.connections > 0) {
			return null;
		}
		this.byUser.remove(userId);
		List<Member> current = this.members;
		Member[] next = new Member[current.size() - 1];
		int i = 0;
		for (Member member : current) {
			if (member != entry.member) {
				next[i++] = member;
			}
		}
		this.members = Collections.unmodifiableList(Arrays.asList(next));
		return entry.member;
	}

	/**
	 * The members in join order; an immutable snapshot that later changes do not affect.
	 * @return the members
	 */
	List<Member> members() {
		return this.members;
	}

	private static final class Entry {

		private final Member member;

		private int connections = 1;

		Entry(Member member) {
			this.member = member;
		}

	}

}
