package dev.realtime.netty;

import java.nio.charset.StandardCharsets;

import dev.realtime.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

}
