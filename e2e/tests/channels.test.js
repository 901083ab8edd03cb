// Public and private channels through pusher-js, as a browser would use them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { closeAll, connected, next, pusherClient, subscribed } from '../lib/clients.js';
import { appKey, host, login, post, unique, wsPort } from '../lib/server.js';

after(closeAll);

test('an anonymous client receives the server clock on the public channel', async () => {
	const pusher = await pusherClient();
	const clock = await subscribed(pusher, 'clock');
	const tick = await next(clock, 'tick');
	assert.match(tick.time, /^\d{4}-\d{2}-\d{2}T/);
	assert.deepEqual(pusher.authStatuses, [], 'public channels need no auth request');
});

test('laravel-echo with broadcaster "pusher" and the options from the README connects and listens', async (t) => {
	const echo = new Echo({
		broadcaster: 'pusher',
		Pusher,
		key: appKey,
		cluster: 'mt1',
		wsHost: host,
		wsPort: wsPort,
		forceTLS: false,
		enabledTransports: ['ws'],
	});
	t.after(() => echo.disconnect());
	await connected(echo.connector.pusher);
	const tick = await new Promise((resolve) => echo.channel('clock').listen('.tick', resolve));
	assert.match(tick.time, /^\d{4}-/);
	assert.match(echo.socketId(), /^\d+\.\d+$/);
});

test('a user receives direct messages on their own private channel', async () => {
	const alice = unique('alice');
	const bob = unique('bob');
	const aliceCookie = await login(alice);
	const bobCookie = await login(bob);
	const pusher = await pusherClient(aliceCookie);
	const inbox = await subscribed(pusher, `private-user-${alice}`);
	assert.deepEqual(pusher.authStatuses, [200]);

	const received = next(inbox, 'direct');
	const response = await post('/direct', bobCookie, { to: alice, text: 'psst' });
	assert.equal(response.status, 202);
	assert.deepEqual(await received, { from: bob, text: 'psst' });
});

test("a user cannot subscribe to someone else's private channel", async () => {
	const alice = unique('alice');
	const mallory = unique('mallory');
	const pusher = await pusherClient(await login(mallory));
	await assert.rejects(subscribed(pusher, `private-user-${alice}`), /subscription_error/);
	assert.deepEqual(pusher.authStatuses, [403]);
});

test('the admin channel is forbidden: subscription_error with status 403', async () => {
	const pusher = await pusherClient(await login(unique('carol')));
	const error = await subscribed(pusher, 'private-admin').then(
		() => assert.fail('private-admin must be denied'),
		(e) => e.data,
	);
	assert.equal(error.type, 'AuthError');
	assert.match(error.error, /status 403/);
	assert.deepEqual(pusher.authStatuses, [403]);
});

test('without a session private channels are denied', async () => {
	const pusher = await pusherClient();
	await assert.rejects(subscribed(pusher, 'private-user-anyone'), /subscription_error/);
	assert.deepEqual(pusher.authStatuses, [403]);
});
