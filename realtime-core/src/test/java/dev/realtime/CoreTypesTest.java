package dev.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the small value types: {@link Frame}, {@link CloseReason}, {@link SocketIds}
 * and {@link HubConfig}.
 */
class CoreTypesTest {

	@Test
	void textFrame() {
		Frame frame = Frame.text("héllo");
		assertThat(frame.isBinary()).isFalse();
		assertThat(frame.text()).isEqualTo("héllo");
		assertThat(frame.bytes()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void binaryFrame() {
		byte[] payload = { 0, 1 };
		Frame frame = Frame.binary(payload);
		assertThat(frame.isBinary()).isTrue();
		assertThat(frame.bytes()).isSameAs(payload);
		assertThatIllegalStateException().isThrownBy(frame::text);
	}

	@Test
	void pingFrameIsAControlFrameWithoutPayload() {
		Frame ping = Frame.ping();
		assertThat(ping.isPing()).isTrue();
		assertThat(ping.isBinary()).isFalse();
		assertThat(ping.bytes()).isEmpty();
		assertThatIllegalStateException().isThrownBy(ping::text);
		assertThat(Frame.text("x").isPing()).isFalse();
		assertThat(Frame.binary(new byte[0]).isPing()).isFalse();
	}

	@Test
	void adaptBuildsTheTransportMessageOnce() {
		Frame frame = Frame.text("x");
		AtomicInteger calls = new AtomicInteger();
		Function<Frame, Object> adapter = (f) -> {
			calls.incrementAndGet();
			return new Object();
		};
		Object first = frame.adapt(adapter);
		Object second = frame.adapt(adapter);
		assertThat(second).isSameAs(first);
		assertThat(calls).hasValue(1);
	}

	@Test
	void adaptKeepsTwoTransportsApart() {
		Frame frame = Frame.text("x");
		Function<Frame, String> upper = (f) -> f.text().toUpperCase(Locale.ROOT);
		Function<Frame, Integer> length = (f) -> f.text().length();
		assertThat(frame.adapt(upper)).isEqualTo("X");
		assertThat(frame.adapt(length)).isEqualTo(1);
		assertThat(frame.adapt(upper)).isEqualTo("X");
	}

	@Test
	void closeReasonCodes() {
		assertThat(CloseReason.SLOW_CONSUMER.code()).isEqualTo(4100);
		assertThat(CloseReason.GOING_AWAY.code()).isEqualTo(4200);
		assertThat(CloseReason.SLOW_CONSUMER.reconnect()).isTrue();
		assertThat(CloseReason.GOING_AWAY.reconnect()).isTrue();
		assertThat(CloseReason.SEND_TIMEOUT.reconnect()).isTrue();
		assertThat(CloseReason.TERMINATED.reconnect()).isFalse();
		assertThat(new CloseReason(4300, "x").reconnect()).isFalse();
	}

	@Test
	void socketIdsAreUniqueAndWellFormed() {
		SocketIds ids = new SocketIds();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String id = ids.get();
			assertThat(id).matches("^\\d+\\.\\d+$");
			assertThat(seen.add(id)).isTrue();
		}
		assertThat(new SocketIds(7).get()).isEqualTo("7.1");
		assertThatIllegalArgumentException().isThrownBy(() -> new SocketIds(-1));
	}

	@Test
	void hubConfigDefaultsAndValidation() {
		HubConfig defaults = HubConfig.defaults();
		assertThat(defaults.outboxCapacity()).isEqualTo(64);
		assertThat(defaults.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP_MESSAGE);
		assertThat(defaults.sendTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.channelFrames()).isSameAs(ChannelFrames.NONE);
		assertThatIllegalArgumentException().isThrownBy(() -> HubConfig.builder().outboxCapacity(0));
		assertThatIllegalArgumentException().isThrownBy(() -> HubConfig.builder().maxPresenceMembers(0));
		assertThatIllegalArgumentException().isThrownBy(() -> HubConfig.builder().framesPerWrite(0));
		assertThatIllegalArgumentException().isThrownBy(() -> HubConfig.builder().sendTimeout(Duration.ofSeconds(-1)));
	}

}
