// The secured sample app (sample-secured-app: Spring Security, form login, CSRF at its
// default): laravel-echo in headless Chromium after a login through the real login form, and
// the `pusher` server SDK publishing through the signed HTTP API. Run by SecuredAppE2eIT.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import PusherServer from 'pusher';
import { appKey, baseUrl, host, port, unique, wsPort } from '../lib/server.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const appId = process.env.REALTIME_APP_ID ?? 'secured-app';
const secret = process.env.REALTIME_SECRET ?? 'secured-secret-change-me';
const passwords = { alice: 'alice-password', bob: 'bob-password' };
// The clients exactly as npm ships them (a real application would bundle them).
const clientScripts = ['pusher-js/dist/web/pusher.min.js', 'laravel-echo/dist/echo.iife.js']
	.map((file) => fileURLToPath(new URL(`../node_modules/${file}`, import.meta.url)));

let browser;
const sdk = new PusherServer({ appId, key: appKey, secret, host, port: String(port), useTLS: false });

before(async () => {
	assert.ok(existsSync(executablePath),
		`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
	browser = await chromium.launch({
		executablePath,
		args: ['--headless', '--no-sandbox', '--disable-background-networking'],
	});
});

after(async () => {
	await browser?.close();
});

/**
 * A fresh browser (its own session) that opened the app, was sent to the login form, logged
 * in as `user`, and runs laravel-echo against the app. Echo finds the CSRF token in the
 * page's <meta name="csrf-token"> and sends it as X-CSRF-TOKEN to the auth endpoints.
 */
async function loggedIn(user) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (error) => errors.push(error));
	await page.goto(`${baseUrl}/`);
	assert.match(page.url(), /\/login$/, 'an anonymous visit is sent to the login form');
	await page.fill('#username', user);
	await page.fill('#password', passwords[user]);
	await page.click('button[type=submit]');
	await page.waitForSelector('#user');
	assert.equal(await page.textContent('#user'), user);
	for (const path of clientScripts) {
		await page.addScriptTag({ path });
	}
	await page.evaluate(({ key, wsPort }) => {
		window.echo = new Echo.default({
			broadcaster: 'pusher',
			key,
			cluster: 'local', // required by pusher-js 8, unused when wsHost is set
			wsHost: location.hostname,
			wsPort,
			forceTLS: false,
			enabledTransports: ['ws'],
			authEndpoint: '/broadcasting/auth',
			userAuthentication: { endpoint: '/broadcasting/user-auth', headers: {} },
		});
		return new Promise((resolve) => echo.connector.pusher.connection.bind('connected', resolve));
	}, { key: appKey, wsPort });
	page.errors = errors;
	return page;
}

/** Subscribe in the page; resolves with the roster (presence) or true, rejects with the auth error. */
function join(page, method, name) {
	return page.evaluate(({ method, name }) => new Promise((resolve, reject) => {
		const channel = echo[method](name);
		const fail = (error) => reject(new Error(`${error.type} ${error.status}`));
		if (method === 'join') {
			channel.here(resolve).error(fail);
		}
		else {
			channel.subscribed(() => resolve(true)).error(fail);
		}
	}), { method, name });
}

test('a logged-in page joins a presence channel as its Authentication and hears the SDK', async () => {
	const anonymous = await fetch(`${baseUrl}/`, { redirect: 'manual' });
	assert.equal(anonymous.status, 302, 'the application still guards its pages');

	const room = unique('lobby');
	const alice = await loggedIn('alice');
	const roster = await join(alice, 'join', room);
	assert.deepEqual(roster, [{ roles: ['ROLE_USER'] }]);

	await alice.evaluate((room) => {
		window.announced = new Promise((resolve) => echo.join(room).listen('.announcement', resolve));
	}, room);
	const published = await sdk.trigger(`presence-${room}`, 'announcement', { text: 'hello' });
	assert.equal(published.status, 200, 'the signed publish needs no CSRF token and no login');
	assert.deepEqual(await alice.evaluate(() => window.announced), { text: 'hello' });

	const users = await sdk.get({ path: `/channels/presence-${room}/users` });
	assert.equal(users.status, 200);
	assert.deepEqual(await users.json(), { users: [{ id: 'alice' }] });
	assert.deepEqual(alice.errors, []);
	await alice.context().close();
});

test('the Authorizer reads the roles: an admin channel for bob, 403 for alice, and CSRF still checked', async () => {
	const channel = unique('admin-');
	const bob = await loggedIn('bob');
	assert.equal(await join(bob, 'private', channel), true);

	const alice = await loggedIn('alice');
	await assert.rejects(join(alice, 'private', channel), /AuthError 403/);

	// The same request without Echo's X-CSRF-TOKEN header: refused by Spring Security's CSRF filter.
	const withoutToken = await alice.evaluate(() => fetch('/broadcasting/auth', {
		method: 'POST',
		body: new URLSearchParams({ socket_id: echo.socketId(), channel_name: 'private-open' }),
	}).then((response) => response.status));
	assert.equal(withoutToken, 403);
	assert.equal(await join(alice, 'private', unique('open-')), true, 'with the header the same user is allowed');
	await bob.context().close();
	await alice.context().close();
});

test('signin through the user endpoint, then the SDK sends to that user', async () => {
	const alice = await loggedIn('alice');
	const userData = await alice.evaluate(async () => {
		const pusher = echo.connector.pusher;
		pusher.signin();
		await pusher.user.signinDonePromise;
		window.nudged = new Promise((resolve) => pusher.user.bind('nudge', resolve));
		return pusher.user.user_data;
	});
	assert.deepEqual(userData, { id: 'alice', user_info: { name: 'alice' } });
	const sent = await sdk.sendToUser('alice', 'nudge', { from: 'server' });
	assert.equal(sent.status, 200);
	assert.deepEqual(await alice.evaluate(() => window.nudged), { from: 'server' });
	await alice.context().close();
});
