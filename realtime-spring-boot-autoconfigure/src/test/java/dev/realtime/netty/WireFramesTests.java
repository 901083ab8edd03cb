package dev.realtime.netty;

import java.nio.charset.StandardCharsets;

import dev.realtime.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WireFrames}: the RFC 6455 bytes of the frames a server sends.
 */
class WireFramesTests {

	@Test
	void textFrameHasTheTextOpcodeAndItsLength() {
		ByteBuf wire = WireFrames.encode(Frame.text("hi")).buffer().duplicate();
		assertThat(ByteBufUtil.getBytes(wire)).containsExactly(0x81, 2, 'h', 'i');
	}

	@Test
	void longTextFrameHasAnExtendedLength() {
		String text = "x".repeat(300);
		WireFrames.WireFrame frame = WireFrames.encode(Frame.text(text));
		byte[] bytes = ByteBufUtil.getBytes(frame.buffer().duplicate());
		assertThat(bytes).startsWith(0x81, 126, 1, 44);
		assertThat(new String(bytes, 4, bytes.length - 4, StandardCharsets.UTF_8)).isEqualTo(text);
		assertThat(frame.payloadSize()).isEqualTo(300);
	}

	@Test
	void pingIsAnEmptyControlFrameWithThePingOpcode() {
		WireFrames.WireFrame ping = WireFrames.encode(Frame.ping());
		assertThat(ByteBufUtil.getBytes(ping.buffer().duplicate())).containsExactly(0x89, 0);
		assertThat(ping.payloadSize()).isZero();
	}

	@Test
	void deflatedFrameIsMadeOnceWithRsv1AndInflatesToThePayload() throws Exception {
		String text = "{\"event\":\"tick\",\"data\":\"" + "tick ".repeat(200) + "\"}";
		WireFrames.WireFrame frame = WireFrames.encode(Frame.text(text));
		ByteBuf deflated = frame.deflated();
		assertThat(frame.deflated()).as("the same bytes for every connection").isSameAs(deflated);
		byte[] bytes = ByteBufUtil.getBytes(deflated.duplicate());
		assertThat(bytes[0] & 0xFF).as("FIN, RSV1, text").isEqualTo(0xC1);
		int length = bytes[1];
		assertThat(length).isLessThan(126).isLessThan(text.length() / 10);
		byte[] inflated = MessageInflater.inflate(Unpooled.wrappedBuffer(bytes, 2, length), 10_000);
		assertThat(new String(inflated, StandardCharsets.UTF_8)).isEqualTo(text);
	}

	@Test
	void frameThatCompressionDoesNotShrinkAndPingsGoPlain() {
		WireFrames.WireFrame tiny = WireFrames.encode(Frame.text("hi"));
		assertThat(tiny.deflated()).isSameAs(tiny.buffer());
		WireFrames.WireFrame ping = WireFrames.encode(Frame.ping());
		assertThat(ping.deflated()).isSameAs(ping.buffer());
	}

	@Test
	void inflaterStopsAtTheLimit() {
		byte[] bomb = MessageDeflater.deflate(new byte[1024 * 1024]);
		assertThatExceptionOfType(MessageInflater.TooLargeException.class)
			.isThrownBy(() -> MessageInflater.inflate(Unpooled.wrappedBuffer(bomb), 20 * 1024));
	}

}
