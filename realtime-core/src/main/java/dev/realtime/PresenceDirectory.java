package dev.realtime;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where presence membership is decided when several hubs serve one application: the hub
 * asks it for the roster a newcomer sees and leaves the {@code member_added} /
 * {@code member_removed} announcements to it (so each is sent once per user, whichever
 * node the user's connections are on).
 * <p>
 * Without one (the default) the hub's own per-channel roster decides, as on a single node.
 * With one, the hub still keeps its local roster (for {@link Hub#presence} and
 * {@link PresenceListener}), but confirms a join with the roster returned by
 * {@link #join} and sends no member frames itself, unless the directory cannot answer.
 */
public interface PresenceDirectory {

	/**
	 * A connection is joining a presence channel as a member. Called on the subscribing
	 * thread, outside the hub's locks, before the connection becomes a subscriber; may block
	 * briefly (a round trip to the shared store) and should give up quickly when the store
	 * is unreachable.
	 * @param channel the presence channel
	 * @param member the member the connection joins as
	 * @param socketId the connection's socket id (the announcement must skip it)
	 * @param maxMembers the most distinct users the channel may have across the cluster: a
	 * new user beyond it must be refused, counted nowhere and announced nowhere (another
	 * connection of a present user is always let in)
	 * @return the whole roster, the joining member included, for the newcomer's
	 * confirmation (the hub keeps it and encodes it later, on the connection's writer: it
	 * must not change after it is returned); an empty list if the channel is full, in which
	 * case the hub refuses the join ({@link Joined#PRESENCE_FULL}) and calls no
	 * {@link #leave} for it; or {@code null} when the directory cannot answer now, in which
	 * case the hub confirms with its local roster (and its own limit) and announces the
	 * member locally. Unless refused, the hub calls {@link #leave} once for this connection
	 * later (at once if it did not join after all).
	 */
	@Nullable List<Member> join(String channel, Member member, String socketId, int maxMembers);

	/**
	 * A connection is joining a presence channel as a watcher: a subscriber told of the
	 * members' changes but not a member itself (see {@link Hub#watch}). As for
	 * {@link #join}, announcements made after the roster is read must reach the newcomer
	 * after its confirmation; nothing is counted, and the hub calls no {@link #leave} for a
	 * watcher.
	 * @param channel the presence channel
	 * @param socketId the connection's socket id
	 * @return the roster across the cluster (must not change after it is returned), or
	 * {@code null} to have the hub confirm with its local roster (the default, for a
	 * directory that cannot answer)
	 */
	default @Nullable List<Member> observe(String channel, String socketId) {
		return null;
	}

	/**
	 * The hub has applied a join that {@link #join} or {@link #observe} answered: the
	 * connection is a subscriber now (or did not join after all). Called after every
	 * {@code join} and {@code observe}, outside the hub's
	 * locks, so a directory can hold back announcements that must reach the newcomer until
	 * it can receive them.
	 * @param channel the presence channel
	 * @param socketId the connection's socket id
	 */
	default void joined(String channel, String socketId) {
	}

	/**
	 * A connection left a presence channel (it was a subscriber as the given member).
	 * Called while the hub holds the channel's lock: must not block.
	 * @param channel the presence channel
	 * @param member the member the connection had joined as
	 * @param socketId the connection's socket id
	 * @return {@code true} if the directory announces the removal when it is the user's last
	 * connection anywhere; {@code false} to have the hub announce it from its local roster
	 */
	boolean leave(String channel, Member member, String socketId);

}
