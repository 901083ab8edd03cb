package dev.realtime.pusher;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.core.io.JsonStringEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonQuoting} against Jackson's encoder, which it replaces on the frame path.
 */
class JsonQuotingTests {

	@Test
	void everyCharacterBelow256IsEscapedAsJacksonEscapesIt() {
		for (char c = 0; c < 256; c++) {
			String text = "a" + c + "b" + c;
			assertThat(quoted(text)).as("char %d", (int) c).isEqualTo(jackson(text));
		}
	}

	@Test
	void randomTextIsEscapedAsJacksonEscapesIt() {
		SplittableRandom random = new SplittableRandom(42);
		for (int n = 0; n < 2000; n++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(0, 40);
			for (int i = 0; i < length; i++) {
				int kind = random.nextInt(4);
				text.append((char) switch (kind) {
					case 0 -> random.nextInt(0, 0x20);
					case 1 -> "\"\\{}:,".charAt(random.nextInt(6));
					case 2 -> random.nextInt(0x20, 0x7F);
					default -> random.nextInt(0x80, 0xFFFF);
				});
			}
			assertThat(quoted(text.toString())).isEqualTo(jackson(text.toString()));
		}
	}

	@Test
	void aRosterInsideAFrameIsTheSameJsonAsBefore() {
		String data = "{\"presence\":{\"ids\":[\"a\\\"b\"],\"hash\":{\"a\\\"b\":{\"name\":\"x\\ny\"}},\"count\":1}}";
		assertThat(quoted(data)).isEqualTo(jackson(data));
	}

	private static String quoted(String text) {
		StringBuilder json = new StringBuilder();
		JsonQuoting.quote(json, text);
		return json.toString();
	}

	private static String jackson(String text) {
		StringBuilder json = new StringBuilder("\"");
		JsonStringEncoder.getInstance().quoteAsString(text, json);
		return json.append('"').toString();
	}

}
