// pusher-js / laravel-echo clients in Node, authenticated with a sample-app session cookie.
import Pusher from 'pusher-js';
import Echo from 'laravel-echo';
import WebSocket from 'ws';
import { appKey, baseUrl, host, wsPort } from './server.js';

const open = new Set();

/**
 * Calls one of the starter's auth endpoints exactly as pusher-js's ajax transport would
 * (form-encoded POST), but with the session cookie that Node's XHR polyfill cannot send.
 * The HTTP status is kept on the error so that tests can assert it.
 */
function endpointHandler(path, cookie, statuses, form) {
	return (params, callback) => {
		fetch(`${baseUrl}${path}`, {
			method: 'POST',
			headers: cookie ? { cookie } : {},
			body: new URLSearchParams(form(params)),
		})
			.then(async (response) => {
				statuses.push(response.status);
				if (response.status !== 200) {
					const error = new Error(`status ${response.status} from ${path}: ${await response.text()}`);
					error.status = response.status;
					callback(error, null);
					return;
				}
				callback(null, await response.json());
			})
			.catch((error) => callback(error, null));
	};
}

/** The options that point pusher-js at this server instead of Pusher's cloud. */
export function connectionOptions() {
	return {
		cluster: 'local', // required by pusher-js 8, unused when wsHost is set
		wsHost: host,
		wsPort: wsPort,
		forceTLS: false,
		enabledTransports: ['ws'],
	};
}

/**
 * A connected pusher-js client acting for the session `cookie` (or anonymous without one).
 * `client.authStatuses` records the status of every auth request it made.
 */
export async function pusherClient(cookie) {
	const authStatuses = [];
	const pusher = new Pusher(appKey, {
		...connectionOptions(),
		channelAuthorization: {
			customHandler: endpointHandler('/broadcasting/auth', cookie, authStatuses, (p) => ({
				socket_id: p.socketId,
				channel_name: p.channelName,
			})),
		},
		userAuthentication: {
			customHandler: endpointHandler('/broadcasting/user-auth', cookie, authStatuses, (p) => ({
				socket_id: p.socketId,
			})),
		},
	});
	pusher.authStatuses = authStatuses;
	open.add(pusher);
	await connected(pusher);
	return pusher;
}

/** Resolves once the client is connected; rejects on failure. */
export function connected(pusher, timeout = 10000) {
	if (pusher.connection.state === 'connected') {
		return Promise.resolve(pusher.connection.socket_id);
	}
	return within(timeout, `connect (state ${pusher.connection.state})`, (resolve, reject) => {
		pusher.connection.bind('connected', () => resolve(pusher.connection.socket_id));
		pusher.connection.bind('failed', () => reject(new Error('connection failed')));
		pusher.connection.bind('unavailable', () => reject(new Error('connection unavailable')));
	});
}

/** Subscribe and resolve with the channel once the server confirmed; reject on subscription_error. */
export function subscribed(pusher, name, timeout = 10000) {
	const channel = pusher.subscribe(name);
	return within(timeout, `subscribe ${name}`, (resolve, reject) => {
		channel.bind('pusher:subscription_succeeded', () => resolve(channel));
		channel.bind('pusher:subscription_error', (error) =>
			reject(Object.assign(new Error(`subscription_error on ${name}: ${JSON.stringify(error)}`), { data: error })),
		);
	});
}

/** Resolve with the data of the next `event` on `bindable` (a channel, `pusher.user`, a connection). */
export function next(bindable, event, timeout = 10000) {
	return nextWithMetadata(bindable, event, timeout).then(({ data }) => data);
}

/** Resolve with `{data, metadata}` of the next `event` (metadata carries `user_id` on presence channels). */
export function nextWithMetadata(bindable, event, timeout = 10000) {
	return within(timeout, `event ${event}`, (resolve) => {
		const handler = (data, metadata) => {
			bindable.unbind(event, handler);
			resolve({ data, metadata });
		};
		bindable.bind(event, handler);
	});
}

/** A laravel-echo instance (broadcaster `reverb`) on top of a pusher-js client for `cookie`. */
export async function echoClient(cookie) {
	const client = await pusherClient(cookie);
	return new Echo({ broadcaster: 'reverb', key: appKey, client });
}

/** A raw WebSocket to `path` (default: this app's Pusher endpoint) that records every frame. */
export function rawSocket(path = `/app/${appKey}?protocol=7&client=js&version=8.6.0&flash=false`) {
	const socket = new WebSocket(`ws://${host}:${wsPort}${path}`);
	socket.frames = [];
	socket.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	socket.on('message', (data) => socket.frames.push(JSON.parse(data.toString())));
	socket.on('error', () => {});
	open.add(socket);
	return socket;
}

/** Resolve with the first frame (already received or future) matching `predicate`. */
export function frame(socket, predicate, timeout = 10000) {
	return within(timeout, 'a matching frame', (resolve) => {
		const found = socket.frames.find(predicate);
		if (found) {
			resolve(found);
			return;
		}
		const listener = (data) => {
			const parsed = JSON.parse(data.toString());
			if (predicate(parsed)) {
				socket.off('message', listener);
				resolve(parsed);
			}
		};
		socket.on('message', listener);
	});
}

/** Send a JSON frame on a raw socket. */
export function send(socket, message) {
	socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

/** Disconnect every client and socket the test opened. */
export function closeAll() {
	for (const c of open) {
		if (c instanceof WebSocket) {
			c.terminate();
		}
		else {
			c.disconnect();
		}
	}
	open.clear();
}

function within(timeout, what, executor) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for ${what}`)), timeout);
		executor(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error) => {
				clearTimeout(timer);
				reject(error);
			},
		);
	});
}

/** Resolve after `ms`: only to prove that something did NOT happen within a grace period. */
export function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
