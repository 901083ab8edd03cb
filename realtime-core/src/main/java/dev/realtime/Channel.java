package dev.realtime;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One channel's subscribers, as a copy-on-write array: a broadcast reads the array once,
 * without a lock, and iterates it without allocating; joins and leaves (rarer) copy it
 * while the hub holds this channel's map bin.
 */
final class Channel {

	private static final Client[] EMPTY = {};

	private final String name;

	private final ChannelType type;

	private final @Nullable PresenceRoster roster;

	private volatile Client[] subscribers = EMPTY;

	Channel(String name, ChannelType type, int maxPresenceMembers) {
		this.name = name;
		this.type = type;
		this.roster = type.isPresence() ? new PresenceRoster(maxPresenceMembers) : null;
	}

	String name() {
		return this.name;
	}

	ChannelType type() {
		return this.type;
	}

	@Nullable PresenceRoster roster() {
		return this.roster;
	}

	Client[] subscribers() {
		return this.subscribers;
	}

	void add(Client client) {
		Client[] current = this.subscribers;
		Client[] next = Arrays.copyOf(current, current.length + 1);
		next[current.length] = client;
		this.subscribers = next;
	}

	boolean remove(Client client) {
		Client[] current = this.subscribers;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == client) {
				Client[] next = new Client[current.length - 1];
				System.arraycopy(current, 0, next, 0, i);
				System.arraycopy(current, i + 1, next, i, current.length - i - 1);
				this.subscribers = next;
				return true;
			}
		}
		return false;
	}

	boolean isEmpty() {
		return this.subscribers.length == 0;
	}

}
