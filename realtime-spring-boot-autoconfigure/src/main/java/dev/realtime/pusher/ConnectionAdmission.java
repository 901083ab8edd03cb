package dev.realtime.pusher;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a new connection may open, before it is greeted with
 * {@code connection_established}; shared by every transport through {@link PusherServer}.
 * Counts connections per node, per app (each app on its own, against its
 * {@linkplain AppSettings#maxConnections() quota}, adding the other nodes' counts when a
 * cluster reports them, see {@link #elsewhere(Map)}) and per client address, and limits
 * how often one address may connect.
 * <p>
 * Over the node's capacity, an address's connections or its connect rate, the answer is
 * 4100 (pusher-js tries again after a second); over an app's quota it is 4004 (pusher-js
 * does not reconnect), as Pusher answers.
 * <p>
 * Memory is bounded: an app has an entry while it has connections here, an address while
 * it has connections or its connect allowance is refilling, at most {@value #MAX_TRACKED_ADDRESSES} of them; IPv6 clients are
 * counted per {@code /64}, which is what one subscriber usually holds. Only opening and
 * closing connections touch this class, never the delivery of messages.
 */
public final class ConnectionAdmission {

	/** Most client addresses tracked at once; beyond, new addresses are refused with 4100. */
	public static final int MAX_TRACKED_ADDRESSES = 65_536;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** At most one warning per reason this often, however many connections are refused. */
	private static final long LOG_INTERVAL_NANOS = 10 * NANOS_PER_SECOND;

	private static final Log logger = LogFactory.getLog(ConnectionAdmission.class);

	private final int maxConnections;

	private final int maxConnectionsPerAddress;

	private final int connectRatePerAddress;

	private final TrustedProxies proxies;

	private final AtomicInteger connections = new AtomicInteger();

	/** This node's connections per app id; an app without connections has no entry. */
	private final ConcurrentHashMap<String, Integer> perApp = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, AddressEntry> perAddress = new ConcurrentHashMap<>();

	private final AtomicBoolean sweeping = new AtomicBoolean();

	private final LongAdder[] refused = new LongAdder[Refusal.values().length];

	/** When each reason was last logged, in {@link System#nanoTime()}; 0 for never. */
	private final AtomicLongArray loggedNanos = new AtomicLongArray(Refusal.values().length);

	/** The other nodes' connections per app id, as last reported by the cluster. */
	private volatile Map<String, Integer> elsewhere = Map.of();

	/**
	 * Create the admission.
	 * @param maxConnections most connections on this node, 0 for no limit
	 * @param maxConnectionsPerAddress most connections from one client address, 0 for no
	 * limit
	 * @param connectRatePerAddress most new connections per second from one client
	 * address (and as many at once), 0 for no limit
	 * @param proxies whose {@code X-Forwarded-For} to believe
	 */
	public ConnectionAdmission(int maxConnections, int maxConnectionsPerAddress, int connectRatePerAddress,
			TrustedProxies proxies) {
		if (maxConnections < 0 || maxConnectionsPerAddress < 0 || connectRatePerAddress < 0) {
			throw new IllegalArgumentException("Connection limits must be 0 (no limit) or positive");
		}
		this.maxConnections = maxConnections;
		this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		this.connectRatePerAddress = connectRatePerAddress;
		this.proxies = proxies;
		Arrays.setAll(this.refused, (i) -> new LongAdder());
	}

	/**
	 * An admission without limits that still counts.
	 * @return the admission
	 */
	public static ConnectionAdmission unlimited() {
		return new ConnectionAdmission(0, 0, 0, TrustedProxies.NONE);
	}

	/**
	 * Admit a connection or refuse it. An admitted connection must be
	 * {@linkplain Ticket#release() released} once it closes.
	 * @param app the app it connects to, with its quota
	 * @param peer the address the connection comes from, or {@code null} if unknown (then
	 * only the node and app limits apply)
	 * @param forwardedFor its {@code X-Forwarded-For} header, or {@code null}
	 * @return the ticket to release
	 * @throws OverCapacityException (4100) when the node, the address's connections or its
	 * connect rate is at its limit
	 * @throws OverQuotaException (4004) when the app is at its quota
	 */
	public Ticket admit(App app, @Nullable InetAddress peer, @Nullable String forwardedFor) {
		if (this.connections.incrementAndGet() > this.maxConnections && this.maxConnections > 0) {
			this.connections.decrementAndGet();
			throw refuse(Refusal.NODE_CAPACITY, new OverCapacityException("Over capacity: this server is full"));
		}
		if (!admitApp(app)) {
			this.connections.decrementAndGet();
			throw refuse(Refusal.APP_QUOTA, new OverQuotaException());
		}
		String address = null;
		if (peer != null && (this.maxConnectionsPerAddress > 0 || this.connectRatePerAddress > 0)) {
			address = key(this.proxies.clientAddress(peer, forwardedFor));
			Refusal refusal = admitAddress(address, System.nanoTime());
			if (refusal != null) {
				releaseApp(app.id());
				this.connections.decrementAndGet();
				throw refuse(refusal, new OverCapacityException((refusal == Refusal.ADDRESS_CONNECTIONS)
						? "Over capacity: too many connections from your address"
						: (refusal == Refusal.ADDRESS_RATE) ? "Over capacity: connecting too often from your address"
								: "Over capacity: too many clients"));
			}
		}
		return new Ticket(app.id(), address);
	}

	/** Take a place in the app's count, unless it is at its quota. */
	private boolean admitApp(App app) {
		Integer quota = app.settings().maxConnections();
		int elsewhere = (quota != null) ? this.elsewhere.getOrDefault(app.id(), 0) : 0;
		boolean[] admitted = new boolean[1];
		this.perApp.compute(app.id(), (id, count) -> {
			int here = (count != null) ? count : 0;
			if (quota != null && here + 1 + elsewhere > quota) {
				return count;
			}
			admitted[0] = true;
			return here + 1;
		});
		return admitted[0];
	}

	private void releaseApp(String appId) {
		this.perApp.computeIfPresent(appId, (id, count) -> (count > 1) ? count - 1 : null);
	}

	/** Take a connect token and a connection slot for an address, or say why not. */
	private @Nullable Refusal admitAddress(String address, long now) {
		if (this.perAddress.size() >= MAX_TRACKED_ADDRESSES) {
			sweep(now);
		}
		Refusal[] refusal = new Refusal[1];
		this.perAddress.compute(address, (key, entry) -> {
			if (entry == null) {
				if (this.perAddress.size() >= MAX_TRACKED_ADDRESSES) {
					refusal[0] = Refusal.TOO_MANY_ADDRESSES;
					return null;
				}
				entry = new AddressEntry(this.connectRatePerAddress, now);
			}
			if (this.maxConnectionsPerAddress > 0 && entry.connections >= this.maxConnectionsPerAddress) {
				refusal[0] = Refusal.ADDRESS_CONNECTIONS;
			}
			else if (this.connectRatePerAddress > 0 && !entry.takeToken(this.connectRatePerAddress, now)) {
				refusal[0] = Refusal.ADDRESS_RATE;
			}
			else {
				entry.connections++;
			}
			return entry.isIdle(this.connectRatePerAddress, now) ? null : entry;
		});
		return refusal[0];
	}

	private void release(String address) {
		long now = System.nanoTime();
		this.perAddress.computeIfPresent(address, (key, entry) -> {
			entry.connections--;
			return entry.isIdle(this.connectRatePerAddress, now) ? null : entry;
		});
	}

	/** Drop the entries of addresses without connections whose allowance is full again. */
	private void sweep(long now) {
		if (!this.sweeping.compareAndSet(false, true)) {
			return;
		}
		try {
			this.perAddress.forEach((address, entry) -> this.perAddress.computeIfPresent(address,
					(key, current) -> current.isIdle(this.connectRatePerAddress, now) ? null : current));
		}
		finally {
			this.sweeping.set(false);
		}
	}

	private <E extends PusherException> E refuse(Refusal refusal, E ex) {
		this.refused[refusal.ordinal()].increment();
		long now = System.nanoTime();
		long logged = this.loggedNanos.get(refusal.ordinal());
		boolean due = logged == 0 || now - logged > LOG_INTERVAL_NANOS;
		if (due && this.loggedNanos.compareAndSet(refusal.ordinal(), logged, now) && logger.isWarnEnabled()) {
			logger.warn("Refusing connections (" + refusal + "): " + ex.getMessage() + "; "
					+ refused(refusal) + " refused so far, " + this.connections.get() + " open on this node"
					+ ((this.maxConnections > 0) ? " of " + this.maxConnections : "")
					+ " (realtime.connections.refused; logged at most every 10 s)");
		}
		return ex;
	}

	/**
	 * Report the connections the other nodes of the cluster hold, per app id. Called by the
	 * cluster's bookkeeping every few seconds, so app quotas are approximate in a cluster:
	 * nodes admitting at the same moment may each take the last places.
	 * @param counts connections per app id on the other nodes
	 */
	public void elsewhere(Map<String, Integer> counts) {
		this.elsewhere = Map.copyOf(counts);
	}

	/**
	 * This node's connections per app id, for the cluster's bookkeeping.
	 * @return a snapshot, apps without connections left out
	 */
	public Map<String, Integer> connectionsPerApp() {
		Map<String, Integer> counts = new HashMap<>();
		this.perApp.forEach((app, count) -> {
			if (count > 0) {
				counts.put(app, count);
			}
		});
		return counts;
	}

	/**
	 * Connections admitted on this node and not yet released.
	 * @return the count
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * The most connections this node admits.
	 * @return the limit, 0 for none
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Client addresses tracked now (with connections, or connecting recently).
	 * @return the count
	 */
	public int trackedAddresses() {
		return this.perAddress.size();
	}

	/**
	 * Connections refused for a reason since the start.
	 * @param refusal the reason
	 * @return the count
	 */
	public long refused(Refusal refusal) {
		return this.refused[refusal.ordinal()].sum();
	}

	/**
	 * The address a client is counted under: itself for IPv4, its {@code /64} for IPv6.
	 */
	static String key(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			Arrays.fill(bytes, 8, 16, (byte) 0);
			try {
				return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return address.getHostAddress();
	}

	/**
	 * Why a connection was refused.
	 */
	public enum Refusal {

		/** This node has as many connections as allowed (4100). */
		NODE_CAPACITY,

		/** The app has as many connections as its quota allows (4004). */
		APP_QUOTA,

		/** The client's address has as many connections as allowed (4100). */
		ADDRESS_CONNECTIONS,

		/** The client's address connects more often than allowed (4100). */
		ADDRESS_RATE,

		/** Too many addresses are tracked to take another (4100). */
		TOO_MANY_ADDRESSES

	}

	/**
	 * An admitted connection's places in the counts, given back once when it closes.
	 */
	public final class Ticket {

		private final String appId;

		private final @Nullable String address;

		private final AtomicBoolean released = new AtomicBoolean();

		private Ticket(String appId, @Nullable String address) {
			this.appId = appId;
			this.address = address;
		}

		/**
		 * Give the places back; later calls do nothing.
		 */
		public void release() {
			if (!this.released.compareAndSet(false, true)) {
				return;
			}
			ConnectionAdmission.this.connections.decrementAndGet();
			ConnectionAdmission.this.releaseApp(this.appId);
			if (this.address != null) {
				ConnectionAdmission.this.release(this.address);
			}
		}

	}

	/** One client address: its open connections and its connect allowance (a token bucket). */
	private static final class AddressEntry {

		int connections;

		double tokens;

		long refilledNanos;

		AddressEntry(int rate, long now) {
			this.tokens = rate;
			this.refilledNanos = now;
		}

		boolean takeToken(int rate, long now) {
			refill(rate, now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return true;
			}
			return false;
		}

		/** No connections and nothing to remember: the entry can go. */
		boolean isIdle(int rate, long now) {
			if (this.connections > 0) {
				return false;
			}
			if (rate == 0) {
				return true;
			}
			refill(rate, now);
			return this.tokens >= rate;
		}

		private void refill(int rate, long now) {
			long elapsed = now - this.refilledNanos;
			if (elapsed > 0) {
				this.tokens = Math.min(rate, this.tokens + (double) elapsed * rate / NANOS_PER_SECOND);
				this.refilledNanos = now;
			}
		}

	}

}
