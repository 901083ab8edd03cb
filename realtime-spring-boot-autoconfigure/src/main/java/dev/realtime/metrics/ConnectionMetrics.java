package dev.realtime.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.realtime.pusher.ConnectionLifecycleListener;
import dev.realtime.pusher.PusherConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Counts connections opened ({@code realtime.connections.opened}) and closed
 * ({@code realtime.connections.closed}, tagged with the close {@code code}), told by the
 * protocol layer as a {@link ConnectionLifecycleListener}.
 * <p>
 * The code tag takes the codes the server and well-behaved clients use (RFC 6455 and the
 * Pusher ranges); any other code a client sends is counted as {@code other}, so a client
 * cannot create a series per code it invents.
 */
public final class ConnectionMetrics implements ConnectionLifecycleListener, MeterBinder {

	private static final Set<Integer> KNOWN_CODES = Set.of(1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009,
			1011, 4000, 4001, 4003, 4004, 4005, 4006, 4007, 4008, 4009, 4100, 4200, 4201, 4202, 4301);

	private final ConcurrentMap<String, Counter> closed = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	private volatile @Nullable Counter opened;

	@Override
	public void bindTo(MeterRegistry registry) {
		this.opened = Counter.builder("realtime.connections.opened")
			.description("Connections accepted on this node")
			.register(registry);
		this.registry = registry;
	}

	@Override
	public void opened(PusherConnection connection) {
		Counter opened = this.opened;
		if (opened != null) {
			opened.increment();
		}
	}

	@Override
	public void closed(PusherConnection connection, int closeCode, Set<String> channels) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		String code = KNOWN_CODES.contains(closeCode) ? Integer.toString(closeCode) : "other";
		this.closed.computeIfAbsent(code, (tag) -> Counter.builder("realtime.connections.closed")
			.description("Connections closed on this node, by WebSocket close code")
			.tag("code", tag)
			.register(registry)).increment();
	}

}
