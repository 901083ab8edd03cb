package dev.realtime;

import java.util.Collection;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Channel frames as plain text that tests can read: {@code subscribed:channel:[ids]},
 * {@code added:channel:id} and {@code removed:channel:id}.
 */
final class TestFrames implements ChannelFrames {

	@Override
	public Frame subscribed(String channel, @Nullable Collection<Member> roster) {
		String ids = (roster != null) ? roster.stream().map(Member::id).collect(Collectors.joining(",", "[", "]")) : "-";
		return Frame.text("subscribed:" + channel + ":" + ids);
	}

	@Override
	public Frame memberAdded(String channel, Member member) {
		return Frame.text("added:" + channel + ":" + member.id());
	}

	@Override
	public Frame memberRemoved(String channel, Member member) {
		return Frame.text("removed:" + channel + ":" + member.id());
	}

	static String subscribed(String channel, String... ids) {
		return "subscribed:" + channel + ":" + ((ids.length == 0) ? "-" : "[" + String.join(",", ids) + "]");
	}

}
