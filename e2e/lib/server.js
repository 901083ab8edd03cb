// Where the server under test is, and small helpers to talk to it as a logged-in user.
import assert from 'node:assert/strict';

/** Base URL of the sample app, e.g. http://127.0.0.1:8080 (set by SampleAppE2eIT). */
export const baseUrl = (process.env.REALTIME_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
/** The app key the server accepts. */
export const appKey = process.env.REALTIME_KEY ?? 'sample-key';

const url = new URL(baseUrl);
export const host = url.hostname;
export const port = Number(url.port || 80);
/** Where WebSockets connect: the app's port, or the Netty transport's own (REALTIME_WS_PORT). */
export const wsPort = Number(process.env.REALTIME_WS_PORT ?? port);

/** A unique suffix so that tests never share users or rooms. */
export function unique(prefix) {
	return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * Log in to the sample app as `name` and return the session cookie.
 * @returns {Promise<string>} the `Cookie` header value
 */
export async function login(name, friends = []) {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		body: new URLSearchParams({ name, friends: friends.join(',') }),
	});
	assert.equal(response.status, 200, `login as ${name}: ${await response.text()}`);
	const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
	assert.ok(cookies.length > 0, 'login sets a session cookie');
	return cookies.join('; ');
}

/** POST a form to the sample app with the given session cookie; returns the response. */
export async function post(path, cookie, form = {}) {
	return fetch(`${baseUrl}${path}`, {
		method: 'POST',
		headers: cookie ? { cookie } : {},
		body: new URLSearchParams(form),
	});
}
