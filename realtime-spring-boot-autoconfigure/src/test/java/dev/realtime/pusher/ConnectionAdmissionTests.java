package dev.realtime.pusher;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConnectionAdmissionTests {

	private static final App APP = new App("1", "key", "secret");

	private static final App OTHER = new App("2", "other", "secret");

	/** App 1 with a quota of 3 connections. */
	private static final App LIMITED = new App("1", "key", "secret", quota(3));

	@Test
	void theNodeLimitRefusesWith4100AndFreesPlacesOnRelease() {
		ConnectionAdmission admission = new ConnectionAdmission(2, 0, 0, TrustedProxies.NONE);
		ConnectionAdmission.Ticket first = admission.admit(APP, null, null);
		admission.admit(OTHER, null, null);
		assertThatExceptionOfType(OverCapacityException.class).isThrownBy(() -> admission.admit(APP, null, null))
			.satisfies((ex) -> assertThat(ex.closeReason().code()).isEqualTo(4100));
		first.release();
		first.release();
		assertThat(admission.connections()).isEqualTo(1);
		admission.admit(APP, null, null);
		assertThat(admission.refused(ConnectionAdmission.Refusal.NODE_CAPACITY)).isEqualTo(1);
	}

	@Test
	void anAppQuotaRefusesWith4004AndCountsOtherNodes() {
		ConnectionAdmission admission = new ConnectionAdmission(0, 0, 0, TrustedProxies.NONE);
		admission.elsewhere(Map.of("1", 2));
		admission.admit(LIMITED, null, null);
		assertThatExceptionOfType(OverQuotaException.class).isThrownBy(() -> admission.admit(LIMITED, null, null))
			.satisfies((ex) -> assertThat(ex.closeReason().code()).isEqualTo(4004));
		admission.admit(OTHER, null, null);
		assertThat(admission.connectionsPerApp()).isEqualTo(Map.of("1", 1, "2", 1));
		admission.elsewhere(Map.of());
		admission.admit(LIMITED, null, null);
	}

	@Test
	void eachAppIsCountedAgainstItsOwnQuotaAndForgottenAtZero() {
		ConnectionAdmission admission = new ConnectionAdmission(0, 0, 0, TrustedProxies.NONE);
		App small = new App("2", "other", "secret", quota(1));
		ConnectionAdmission.Ticket first = admission.admit(small, null, null);
		assertThatExceptionOfType(OverQuotaException.class).isThrownBy(() -> admission.admit(small, null, null));
		for (int i = 0; i < 3; i++) {
			admission.admit(LIMITED, null, null);
		}
		assertThat(admission.connectionsPerApp()).isEqualTo(Map.of("1", 3, "2", 1));
		first.release();
		assertThat(admission.connectionsPerApp()).isEqualTo(Map.of("1", 3));
		admission.admit(small, null, null);
	}

	@Test
	void perAddressConnectionsAreCappedAndTheEntryGoesAtZero() throws Exception {
		ConnectionAdmission admission = new ConnectionAdmission(0, 2, 0, TrustedProxies.NONE);
		InetAddress one = InetAddress.getByName("198.51.100.1");
		ConnectionAdmission.Ticket a = admission.admit(APP, one, null);
		ConnectionAdmission.Ticket b = admission.admit(APP, one, null);
		assertThatExceptionOfType(OverCapacityException.class).isThrownBy(() -> admission.admit(APP, one, null))
			.withMessageContaining("too many connections from your address");
		admission.admit(APP, InetAddress.getByName("198.51.100.2"), null).release();
		assertThat(admission.connections()).isEqualTo(2);
		a.release();
		b.release();
		assertThat(admission.trackedAddresses()).isZero();
		assertThat(admission.connections()).isZero();
	}

	@Test
	void theConnectRateIsATokenBucketPerAddress() throws Exception {
		ConnectionAdmission admission = new ConnectionAdmission(0, 0, 3, TrustedProxies.NONE);
		InetAddress one = InetAddress.getByName("198.51.100.1");
		for (int i = 0; i < 3; i++) {
			admission.admit(APP, one, null).release();
		}
		assertThatExceptionOfType(OverCapacityException.class).isThrownBy(() -> admission.admit(APP, one, null))
			.withMessageContaining("connecting too often");
		// Released, but the allowance is still refilling: the entry stays, so closing and
		// reconnecting does not reset it.
		assertThat(admission.trackedAddresses()).isEqualTo(1);
		admission.admit(APP, InetAddress.getByName("198.51.100.2"), null);
		assertThat(admission.refused(ConnectionAdmission.Refusal.ADDRESS_RATE)).isEqualTo(1);
	}

	@Test
	void behindATrustedProxyTheForwardedClientIsCounted() throws Exception {
		ConnectionAdmission admission = new ConnectionAdmission(0, 1, 0,
				TrustedProxies.of(List.of("10.0.0.0/8")));
		InetAddress proxy = InetAddress.getByName("10.0.0.2");
		admission.admit(APP, proxy, "198.51.100.1");
		admission.admit(APP, proxy, "198.51.100.2");
		assertThatExceptionOfType(OverCapacityException.class)
			.isThrownBy(() -> admission.admit(APP, proxy, "198.51.100.1"));
	}

	@Test
	void ipv6ClientsAreCountedPerSlash64() throws Exception {
		ConnectionAdmission admission = new ConnectionAdmission(0, 1, 0, TrustedProxies.NONE);
		admission.admit(APP, InetAddress.getByName("2001:db8:1:2::1"), null);
		assertThatExceptionOfType(OverCapacityException.class)
			.isThrownBy(() -> admission.admit(APP, InetAddress.getByName("2001:db8:1:2:ffff::9"), null));
		admission.admit(APP, InetAddress.getByName("2001:db8:1:3::1"), null);
		assertThat(ConnectionAdmission.key(InetAddress.getByName("2001:db8:1:2::1"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
	}

	@Test
	void theAddressTableIsBounded() throws Exception {
		ConnectionAdmission admission = new ConnectionAdmission(0, 1, 0, TrustedProxies.NONE);
		List<ConnectionAdmission.Ticket> tickets = new ArrayList<>();
		for (int i = 0; i < ConnectionAdmission.MAX_TRACKED_ADDRESSES; i++) {
			tickets.add(admission.admit(APP, InetAddress.getByAddress(new byte[] { 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i }), null));
		}
		assertThatExceptionOfType(OverCapacityException.class)
			.isThrownBy(() -> admission.admit(APP, InetAddress.getByName("198.51.100.1"), null));
		assertThat(admission.refused(ConnectionAdmission.Refusal.TOO_MANY_ADDRESSES)).isEqualTo(1);
		tickets.get(0).release();
		admission.admit(APP, InetAddress.getByName("198.51.100.1"), null);
		assertThat(admission.trackedAddresses()).isEqualTo(ConnectionAdmission.MAX_TRACKED_ADDRESSES);
	}

	static AppSettings quota(int maxConnections) {
		return new AppSettings(true, null, null, null, null, maxConnections, List.of());
	}

}
