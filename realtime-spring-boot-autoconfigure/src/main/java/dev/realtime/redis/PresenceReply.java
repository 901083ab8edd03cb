package dev.realtime.redis;

import java.util.ArrayList;
import java.util.List;

import dev.realtime.Member;
import dev.realtime.PresenceEvent;

/**
 * A presence script's reply: the membership changes it announced, then its own result.
 *
 * @param changes members added or removed in the cluster by the script
 * @param rest the script's own result (a roster, dead node ids), flat
 */
record PresenceReply(List<PresenceEvent> changes, List<String> rest) {

	static PresenceReply parse(List<?> reply) {
		int count = Integer.parseInt(String.valueOf(reply.get(0)));
		List<PresenceEvent> changes = new ArrayList<>(count);
		int at = 1;
		for (int i = 0; i < count; i++, at += 4) {
			boolean joined = "+".equals(String.valueOf(reply.get(at)));
			Member member = new Member(String.valueOf(reply.get(at + 2)), String.valueOf(reply.get(at + 3)));
			changes.add(new PresenceEvent(String.valueOf(reply.get(at + 1)), joined, member));
		}
		List<String> rest = new ArrayList<>(reply.size() - at);
		for (int i = at; i < reply.size(); i++) {
			rest.add(String.valueOf(reply.get(i)));
		}
		return new PresenceReply(changes, rest);
	}

}
