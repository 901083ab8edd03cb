package dev.realtime.sample;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.client.util.HttpChannelAuthorizer;
import com.pusher.client.util.HttpUserAuthenticator;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One app on Pusher's official Java client ({@code pusher-java-client}, what Pusher's
 * Android SDK is built on), optionally logged in to the sample app: its session cookie goes
 * with the client's channel authorization and user authentication requests, as an app
 * would pass its own credentials through {@code HttpChannelAuthorizer.setHeaders}.
 */
final class JavaClient implements AutoCloseable {

	/** Generous: the machine is shared, and a reconnect waits a second by itself. */
	static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final Pusher pusher;

	private final @Nullable String cookie;

	private final String baseUrl;

	private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();

	private final List<ConnectionState> history = new ArrayList<>();

	/** The {@code pusher:error}s the client reported, as "code: message". */
	private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

	private JavaClient(Pusher pusher, @Nullable String cookie, String baseUrl) {
		this.pusher = pusher;
		this.cookie = cookie;
		this.baseUrl = baseUrl;
	}

	/**
	 * A client of nobody in particular: enough for public channels.
	 */
	static JavaClient anonymous(int appPort, int webSocketPort, String key) {
		return create(null, appPort, webSocketPort, key);
	}

	/**
	 * A client logged in to the sample app as {@code name}.
	 */
	static JavaClient loggedIn(String name, int appPort, int webSocketPort, String key) {
		return create(name, appPort, webSocketPort, key);
	}

	private static JavaClient create(@Nullable String name, int appPort, int webSocketPort, String key) {
		String baseUrl = "http://127.0.0.1:" + appPort;
		String cookie = (name != null) ? login(baseUrl, name) : null;
		Map<String, String> headers = (cookie != null) ? Map.of("Cookie", cookie) : Map.of();
		HttpChannelAuthorizer channelAuthorizer = new HttpChannelAuthorizer(baseUrl + "/broadcasting/auth");
		channelAuthorizer.setHeaders(headers);
		HttpUserAuthenticator userAuthenticator = new HttpUserAuthenticator(baseUrl + "/broadcasting/user-auth");
		userAuthenticator.setHeaders(headers);
		PusherOptions options = new PusherOptions().setHost("127.0.0.1")
			.setWsPort(webSocketPort)
			.setUseTLS(false)
			.setChannelAuthorizer(channelAuthorizer)
			.setUserAuthenticator(userAuthenticator);
		return new JavaClient(new Pusher(key, options), cookie, baseUrl);
	}

	/** Log in through the sample app's toy login; the answer's session cookie. */
	private static String login(String baseUrl, String name) {
		CookieManager cookies = new CookieManager();
		HttpResponse<String> response = post(HttpClient.newBuilder().cookieHandler(cookies).build(),
				baseUrl + "/login", "name=" + name, null);
		assertThat(response.statusCode()).as("login of %s", name).isEqualTo(200);
		List<HttpCookie> session = cookies.getCookieStore().getCookies();
		assertThat(session).as("session cookie").isNotEmpty();
		return String.join("; ", session.stream().map(HttpCookie::toString).toList());
	}

	/**
	 * POST a form to the sample app with this client's session.
	 * @return the status code
	 */
	int post(String path, String form) {
		return post(HttpClient.newHttpClient(), this.baseUrl + path, form, this.cookie).statusCode();
	}

	private static HttpResponse<String> post(HttpClient http, String url, String form, @Nullable String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Connect and wait until the server has established the connection. */
	JavaClient connect() {
		this.pusher.connect(new ConnectionEventListener() {

			@Override
			public void onConnectionStateChange(ConnectionStateChange change) {
				JavaClient.this.states.add(change.getCurrentState());
			}

			@Override
			public void onError(String message, String code, Exception e) {
				JavaClient.this.errors.add(code + ": " + message);
			}

		}, ConnectionState.ALL);
		awaitState(ConnectionState.CONNECTED);
		return this;
	}

	Pusher pusher() {
		return this.pusher;
	}

	String socketId() {
		return this.pusher.getConnection().getSocketId();
	}

	/** Wait for the connection to reach a state, passing through any others. */
	void awaitState(ConnectionState state) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		for (;;) {
			ConnectionState next = poll(this.states, deadline);
			if (next == null) {
				fail("No %s within %s; states so far %s", state, TIMEOUT, this.history);
			}
			this.history.add(next);
			if (next == state) {
				return;
			}
		}
	}

	/** The next error the client reported, as "code: message". */
	String nextError() {
		return next(this.errors, "error");
	}

	/** The states the connection went through since the last one awaited. */
	List<ConnectionState> statesSinceLastAwait() {
		List<ConnectionState> since = new ArrayList<>();
		this.states.drainTo(since);
		this.history.addAll(since);
		return since;
	}

	Channels subscribe(String channel, String... events) {
		Channels listener = new Channels(this::socketId);
		this.pusher.subscribe(channel, listener, events);
		return listener;
	}

	Channels subscribePrivate(String channel, String... events) {
		Channels listener = new Channels(this::socketId);
		this.pusher.subscribePrivate(channel, listener, events);
		return listener;
	}

	Channels subscribePresence(String channel, String... events) {
		Channels listener = new Channels(this::socketId);
		this.pusher.subscribePresence(channel, listener, events);
		return listener;
	}

	PrivateChannel privateChannel(String channel) {
		return this.pusher.getPrivateChannel(channel);
	}

	PresenceChannel presenceChannel(String channel) {
		return this.pusher.getPresenceChannel(channel);
	}

	@Override
	public void close() {
		this.pusher.disconnect();
	}

	private static <T> @Nullable T poll(BlockingQueue<T> queue, long deadlineNanos) {
		try {
			return queue.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static <T> T next(BlockingQueue<T> queue, String what) {
		T next = poll(queue, System.nanoTime() + TIMEOUT.toNanos());
		if (next == null) {
			fail("No %s within %s", what, TIMEOUT);
		}
		return next;
	}

	/**
	 * What the client reports for one channel: subscriptions, events, authorization
	 * failures and, for presence channels, the roster and the members coming and going.
	 * The client calls it on its own event thread.
	 * <p>
	 * Confirmations and rosters are kept with the socket id of the connection they came on:
	 * one subscribe() can be confirmed twice on one connection (the client can send
	 * {@code pusher:subscribe} twice, and the server confirms a repeated subscribe), so
	 * after a reconnect only a confirmation that came on the new connection shows that the
	 * server has the channel again; an old one left over would let a test publish before.
	 */
	static final class Channels implements PresenceChannelEventListener {

		private final Supplier<String> socketId;

		/** The socket ids of the connections the subscription was confirmed on. */
		private final BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();

		private final BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();

		private final BlockingQueue<String> authorizationFailures = new LinkedBlockingQueue<>();

		private final BlockingQueue<Roster> rosters = new LinkedBlockingQueue<>();

		private final BlockingQueue<User> joined = new LinkedBlockingQueue<>();

		private final BlockingQueue<User> left = new LinkedBlockingQueue<>();

		Channels(Supplier<String> socketId) {
			this.socketId = socketId;
		}

		@Override
		public void onSubscriptionSucceeded(String channelName) {
			this.subscribed.add(String.valueOf(this.socketId.get()));
		}

		@Override
		public void onEvent(PusherEvent event) {
			this.events.add(event);
		}

		@Override
		public void onAuthenticationFailure(String message, Exception e) {
			this.authorizationFailures.add(String.valueOf(message));
		}

		@Override
		public void onUsersInformationReceived(String channelName, Set<User> users) {
			Set<String> ids = new TreeSet<>();
			users.forEach((user) -> ids.add(user.getId()));
			this.rosters.add(new Roster(String.valueOf(this.socketId.get()), ids));
		}

		@Override
		public void userSubscribed(String channelName, User user) {
			this.joined.add(user);
		}

		@Override
		public void userUnsubscribed(String channelName, User user) {
			this.left.add(user);
		}

		/** Wait for the (next) confirmation of the subscription. */
		void awaitSubscribed() {
			next(this.subscribed, "subscription_succeeded");
		}

		/**
		 * Wait for a confirmation of the subscription on the connection with this socket id,
		 * passing over those of earlier connections.
		 */
		void awaitSubscribedOn(String socketId) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			for (;;) {
				String on = poll(this.subscribed, deadline);
				if (on == null) {
					fail("No subscription_succeeded on %s within %s", socketId, TIMEOUT);
				}
				if (socketId.equals(on)) {
					return;
				}
			}
		}

		PusherEvent nextEvent() {
			return next(this.events, "event");
		}

		/** Assert that no event arrives for a while. */
		void expectNoEvent(Duration within) {
			PusherEvent event = poll(this.events, System.nanoTime() + within.toNanos());
			assertThat(event).as("event").isNull();
		}

		String nextAuthorizationFailure() {
			return next(this.authorizationFailures, "authorization failure");
		}

		Set<String> nextRoster() {
			return next(this.rosters, "presence roster").members();
		}

		/** The next roster that came on the connection with this socket id, passing over others. */
		Set<String> nextRosterOn(String socketId) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			for (;;) {
				Roster roster = poll(this.rosters, deadline);
				if (roster == null) {
					fail("No presence roster on %s within %s", socketId, TIMEOUT);
				}
				if (socketId.equals(roster.socketId())) {
					return roster.members();
				}
			}
		}

		User nextJoined() {
			return next(this.joined, "member_added");
		}

		User nextLeft() {
			return next(this.left, "member_removed");
		}

		/** The members of a presence channel as one connection was told them. */
		private record Roster(String socketId, Set<String> members) {
		}

	}

}
