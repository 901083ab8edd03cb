package dev.realtime.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code blocks of one section of the project's README, so tests run what it shows.
 */
final class Readme {

	private final String section;

	private Readme(String section) {
		this.section = section;
	}

	/**
	 * A section of the README, up to the next heading of the same level.
	 * @param heading the heading line, such as {@code ## Several apps}
	 * @return the section
	 */
	static Readme section(String heading) {
		String text;
		try {
			text = Files.readString(Path.of("..", "README.md"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int start = text.indexOf("\n" + heading + "\n");
		if (start < 0) {
			throw new IllegalStateException("README has no section " + heading);
		}
		String level = heading.substring(0, heading.indexOf(' ') + 1);
		int end = text.indexOf("\n" + level, start + heading.length() + 2);
		return new Readme(text.substring(start, (end < 0) ? text.length() : end));
	}

	/**
	 * The code blocks of a language, in order.
	 * @param language the block's language, such as {@code yaml}
	 * @return the blocks' contents
	 */
	List<String> blocks(String language) {
		List<String> blocks = new ArrayList<>();
		String fence = "```" + language + "\n";
		int at = this.section.indexOf(fence);
		while (at >= 0) {
			int from = at + fence.length();
			int to = this.section.indexOf("```", from);
			blocks.add(this.section.substring(from, to));
			at = this.section.indexOf(fence, to + 3);
		}
		return blocks;
	}

}
