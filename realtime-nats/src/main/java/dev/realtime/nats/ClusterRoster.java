package dev.realtime.nats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.realtime.Member;

/**
 * One presence channel's roster across the cluster, as stored in its key-value entry:
 * each user with its info and its connection count per node. A user is a member while
 * any node counts a connection of it.
 * <p>
 * Changed only by compare-and-set on the entry's revision, so the first connection of a
 * user anywhere and the last one are each decided once.
 */
final class ClusterRoster {

	private static final int VERSION = 1;

	/** User to member; insertion order is join order. */
	private final Map<String, Entry> users = new LinkedHashMap<>();

	static ClusterRoster decode(byte[] bytes) {
		ClusterRoster roster = new ClusterRoster();
		if (bytes.length == 0) {
			return roster;
		}
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
			if (in.readUnsignedByte() != VERSION) {
				throw new IllegalArgumentException("unknown roster version");
			}
			int users = in.readInt();
			for (int i = 0; i < users; i++) {
				String user = string(in);
				Entry entry = new Entry(string(in));
				int nodes = in.readInt();
				for (int n = 0; n < nodes; n++) {
					entry.connections.put(string(in), in.readInt());
				}
				roster.users.put(user, entry);
			}
			return roster;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("truncated roster", ex);
		}
	}

	byte[] encode() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			out.writeInt(this.users.size());
			for (Map.Entry<String, Entry> user : this.users.entrySet()) {
				string(out, user.getKey());
				string(out, user.getValue().info);
				out.writeInt(user.getValue().connections.size());
				for (Map.Entry<String, Integer> node : user.getValue().connections.entrySet()) {
					string(out, node.getKey());
					out.writeInt(node.getValue());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** Whether a user who is not a member yet would exceed the limit. */
	boolean isFull(String user, int maxMembers) {
		return !this.users.containsKey(user) && this.users.size() >= maxMembers;
	}

	/**
	 * Set a node's connection count of one user.
	 * @param member the user (its info is kept from its first connection)
	 * @param node the node
	 * @param count the node's connections of the user, 0 for none
	 * @return {@code 1} if the user became a member, {@code -1} if it stopped being one,
	 * else {@code 0}
	 */
	int set(Member member, String node, int count) {
		Entry entry = this.users.get(member.id());
		if (count <= 0) {
			if (entry == null || entry.connections.remove(node) == null || !entry.connections.isEmpty()) {
				return 0;
			}
			this.users.remove(member.id());
			return -1;
		}
		boolean added = entry == null;
		if (added) {
			entry = new Entry(member.info());
			this.users.put(member.id(), entry);
		}
		entry.connections.put(node, count);
		return added ? 1 : 0;
	}

	/**
	 * Set a node's counts to what it knows itself.
	 * @param node the node
	 * @param counts user to connections on that node (with each user's info)
	 * @param added receives the users that became members
	 * @param removed receives the members that left
	 */
	void replaceNode(String node, Map<String, Map.Entry<Member, Integer>> counts, List<Member> added,
			List<Member> removed) {
		for (String user : new ArrayList<>(this.users.keySet())) {
			if (!counts.containsKey(user)) {
				Entry entry = this.users.get(user);
				if (entry.connections.remove(node) != null && entry.connections.isEmpty()) {
					removed.add(removeUser(user));
				}
			}
		}
		counts.forEach((user, count) -> {
			Entry entry = this.users.get(user);
			if (entry == null) {
				entry = new Entry(count.getKey().info());
				this.users.put(user, entry);
				added.add(count.getKey());
			}
			entry.connections.put(node, count.getValue());
		});
	}

	/** Drop every node not in the live set; receives the members that left. */
	void dropNodesExcept(Set<String> live, List<Member> removed) {
		for (String user : new ArrayList<>(this.users.keySet())) {
			Entry entry = this.users.get(user);
			if (entry.connections.keySet().removeIf((node) -> !live.contains(node)) && entry.connections.isEmpty()) {
				removed.add(removeUser(user));
			}
		}
	}

	boolean hasNodesOutside(Set<String> live) {
		for (Entry entry : this.users.values()) {
			for (String node : entry.connections.keySet()) {
				if (!live.contains(node)) {
					return true;
				}
			}
		}
		return false;
	}

	void collectNodesOutside(Set<String> live, Set<String> into) {
		for (Entry entry : this.users.values()) {
			for (String node : entry.connections.keySet()) {
				if (!live.contains(node)) {
					into.add(node);
				}
			}
		}
	}

	boolean hasNode(String node) {
		for (Entry entry : this.users.values()) {
			if (entry.connections.containsKey(node)) {
				return true;
			}
		}
		return false;
	}

	List<Member> members() {
		List<Member> members = new ArrayList<>(this.users.size());
		this.users.forEach((user, entry) -> members.add(new Member(user, entry.info)));
		return members;
	}

	private Member removeUser(String user) {
		return new Member(user, this.users.remove(user).info);
	}

	private static String string(DataInputStream in) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > in.available()) {
			throw new IOException("bad string length");
		}
		return new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

	private static void string(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static final class Entry {

		final String info;

		final Map<String, Integer> connections = new LinkedHashMap<>();

		Entry(String info) {
			this.info = info;
		}

	}

}
