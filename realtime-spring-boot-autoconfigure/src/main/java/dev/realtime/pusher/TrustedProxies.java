package dev.realtime.pusher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The proxies whose {@code X-Forwarded-For} header is believed, and how a connection's
 * client address is found through them.
 * <p>
 * The header is only read when the peer (the address the TCP connection comes from) is a
 * trusted proxy, and then from the right: each trusted proxy appends the address it got
 * the request from, so the right-most address that is not a trusted proxy is the first
 * one no trusted party vouches for. Addresses to its left were written by the client and
 * could be anything. Entries are parsed as IP literals only, never looked up in DNS.
 */
public final class TrustedProxies {

	/** Nobody is trusted: the peer is always the client. */
	public static final TrustedProxies NONE = new TrustedProxies(List.of());

	private final List<Range> ranges;

	private TrustedProxies(List<Range> ranges) {
		this.ranges = ranges;
	}

	/**
	 * Parse addresses and CIDR ranges, such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or
	 * {@code fd00::/8}.
	 * @param specs the addresses and ranges
	 * @return the trusted proxies
	 * @throws IllegalArgumentException for an entry that is not an IP literal or range
	 */
	public static TrustedProxies of(List<String> specs) {
		List<Range> ranges = new ArrayList<>();
		for (String spec : specs) {
			String trimmed = spec.trim();
			int slash = trimmed.indexOf('/');
			InetAddress address = parseLiteral((slash < 0) ? trimmed : trimmed.substring(0, slash));
			if (address == null) {
				throw new IllegalArgumentException("Not an IP address or CIDR range: '" + spec + "'");
			}
			int bits = address.getAddress().length * 8;
			int prefix = bits;
			if (slash >= 0) {
				try {
					prefix = Integer.parseInt(trimmed.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					prefix = -1;
				}
				if (prefix < 0 || prefix > bits) {
					throw new IllegalArgumentException("Invalid prefix length in '" + spec + "'");
				}
			}
			ranges.add(new Range(address.getAddress(), prefix));
		}
		return new TrustedProxies(List.copyOf(ranges));
	}

	/**
	 * Whether an address is a trusted proxy.
	 * @param address the address
	 * @return {@code true} if one of the ranges holds it
	 */
	public boolean isTrusted(InetAddress address) {
		byte[] bytes = address.getAddress();
		for (Range range : this.ranges) {
			if (range.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The address of the client behind a connection.
	 * @param peer the address the connection comes from
	 * @param forwardedFor the {@code X-Forwarded-For} header (all its values joined with
	 * commas), or {@code null}
	 * @return the right-most untrusted address of the chain when the peer is trusted,
	 * otherwise the peer
	 */
	public InetAddress clientAddress(InetAddress peer, @Nullable String forwardedFor) {
		if (forwardedFor == null || this.ranges.isEmpty() || !isTrusted(peer)) {
			return peer;
		}
		InetAddress client = peer;
		int end = forwardedFor.length();
		while (end > 0) {
			int comma = forwardedFor.lastIndexOf(',', end - 1);
			InetAddress hop = parseHop(forwardedFor.substring(comma + 1, end).trim());
			if (hop == null) {
				// Garbage from a client: the last address a trusted proxy vouched for stands.
				return client;
			}
			client = hop;
			if (!isTrusted(hop)) {
				return hop;
			}
			end = comma;
		}
		return client;
	}

	/** An entry of the header: an address, possibly with a port ("1.2.3.4:80", "[::1]:80"). */
	private static @Nullable InetAddress parseHop(String hop) {
		String literal = hop;
		if (literal.startsWith("[")) {
			int close = literal.indexOf(']');
			literal = (close > 0) ? literal.substring(1, close) : literal;
		}
		else if (literal.indexOf(':') > 0 && literal.indexOf(':') == literal.lastIndexOf(':')) {
			literal = literal.substring(0, literal.indexOf(':'));
		}
		return parseLiteral(literal);
	}

	/**
	 * An IPv4 dotted quad or an IPv6 literal, or {@code null}. Checked by hand first so
	 * that {@link InetAddress#getByName} never goes to DNS.
	 */
	static @Nullable InetAddress parseLiteral(String text) {
		if (text.isEmpty() || text.length() > 45) {
			return null;
		}
		boolean ipv6 = text.indexOf(':') >= 0;
		int dots = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '.') {
				dots++;
			}
			else if (!(c >= '0' && c <= '9') && !(ipv6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
				return null;
			}
		}
		if (!ipv6 && dots != 3) {
			return null;
		}
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private record Range(byte[] network, int prefix) {

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int whole = this.prefix / 8;
			for (int i = 0; i < whole; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (address[whole] & mask) == (this.network[whole] & mask);
		}

	}

}
