package dev.realtime;

/**
 * A channel name that breaks the protocol's rules.
 */
public class InvalidChannelException extends IllegalArgumentException {

	private final String channel;

	/**
	 * Create an exception.
	 * @param channel the offending name
	 * @param message what is wrong with it
	 */
	public InvalidChannelException(String channel, String message) {
		super("Invalid channel '" + abbreviate(channel) + "': " + message);
		this.channel = channel;
	}

	/**
	 * The offending name.
	 * @return the name
	 */
	public String channel() {
		return this.channel;
	}

	private static String abbreviate(String channel) {
		return (channel.length() <= 200) ? channel : channel.substring(0, 200) + "...";
	}

}
