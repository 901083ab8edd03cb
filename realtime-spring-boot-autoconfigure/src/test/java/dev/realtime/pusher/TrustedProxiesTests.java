package dev.realtime.pusher;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrustedProxiesTests {

	private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

	@Test
	void rangesAndSingleAddressesAreTrusted() {
		assertThat(this.proxies.isTrusted(ip("10.200.3.4"))).isTrue();
		assertThat(this.proxies.isTrusted(ip("11.0.0.1"))).isFalse();
		assertThat(this.proxies.isTrusted(ip("192.168.1.7"))).isTrue();
		assertThat(this.proxies.isTrusted(ip("192.168.1.8"))).isFalse();
		assertThat(this.proxies.isTrusted(ip("fd12::1"))).isTrue();
		assertThat(this.proxies.isTrusted(ip("fe80::1"))).isFalse();
	}

	@Test
	void anUntrustedPeerIsTheClientWhateverItsHeaderSays() {
		assertThat(this.proxies.clientAddress(ip("203.0.113.9"), "1.2.3.4")).isEqualTo(ip("203.0.113.9"));
	}

	@Test
	void behindTrustedProxiesTheRightMostUntrustedAddressIsTheClient() {
		// The client forged "6.6.6.6"; the first proxy appended what it saw (198.51.100.2),
		// a second trusted proxy appended the first one (10.0.0.5).
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "6.6.6.6, 198.51.100.2, 10.0.0.5"))
			.isEqualTo(ip("198.51.100.2"));
	}

	@Test
	void aTrustedPeerWithoutHeaderIsTheClient() {
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), null)).isEqualTo(ip("10.0.0.9"));
	}

	@Test
	void garbageInTheHeaderLeavesTheLastTrustedHop() {
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "evil.example.com, 10.0.0.5"))
			.isEqualTo(ip("10.0.0.5"));
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "not-an-address")).isEqualTo(ip("10.0.0.9"));
	}

	@Test
	void addressesWithPortsAndBracketsAreRead() {
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "198.51.100.2:4711")).isEqualTo(ip("198.51.100.2"));
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "[2001:db8::1]:4711")).isEqualTo(ip("2001:db8::1"));
		assertThat(this.proxies.clientAddress(ip("10.0.0.9"), "2001:db8::1")).isEqualTo(ip("2001:db8::1"));
	}

	@Test
	void literalsOnlyNeverHostNames() {
		assertThat(TrustedProxies.parseLiteral("localhost")).isNull();
		assertThat(TrustedProxies.parseLiteral("1.2.3")).isNull();
		assertThat(TrustedProxies.parseLiteral("abc")).isNull();
		assertThat(TrustedProxies.parseLiteral("::1")).isEqualTo(ip("::1"));
	}

	@Test
	void invalidEntriesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("proxy.internal")))
			.withMessageContaining("proxy.internal");
		assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
			.withMessageContaining("prefix");
	}

	private static InetAddress ip(String literal) {
		InetAddress address = TrustedProxies.parseLiteral(literal);
		assertThat(address).as(literal).isNotNull();
		return address;
	}

}
